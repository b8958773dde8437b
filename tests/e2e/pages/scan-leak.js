// An undeclared first-party cookie, set for two years (more than 13 months).
document.cookie = "leaky_id=1; Path=/; Max-Age=" + 2 * 365 * 86400;
