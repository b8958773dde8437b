/* The site's own script on the leftovers page: first-party storage that no withdrawal
 * may touch. */
localStorage.setItem("site:theme", "sombre");
