// Mistakes accord.d.ts must refuse (tests/e2e/package.test.mjs): `tsc --noEmit --strict`
// must report an error on exactly the lines marked `// ERROR`, and on no other line.
// If the types became `any` (or too loose), these lines would compile and the test fails.

import type { AccordConfig, AccordErrorCode } from "accord-consent";

Accord.acceptall(); // ERROR a misspelt method
window.Accord.refuse(); // ERROR a method that does not exist
Accord.set({ video: "yes" }); // ERROR set takes booleans
Accord.set("video"); // ERROR set takes an object
Accord.open(true); // ERROR open takes nothing

document.addEventListener("accord:change", (e) => console.log(e.detail.code)); // ERROR a change carries the consent view, not an error
document.addEventListener("accord:error", (e) => console.log(e.detail.purposes)); // ERROR an error carries {code, message, errors}
Accord.on("change", (view) => console.log(view.message)); // ERROR same through Accord.on
Accord.on("decided", () => {}); // ERROR no such event

console.log(Accord.consent().decided_at); // ERROR before the module is ready there is no decided_at: narrow on pending first
console.log(Accord.audit().hosts); // ERROR audit() is undefined when queued
const when: number = Accord.acceptAll()!.decided_at; // ERROR a date is an ISO string
console.log(Accord._boot.queue); // ERROR the loader's internals are unknown

const code: AccordErrorCode = "ACCORD_CONFIG_BAD"; // ERROR not a code

// One mistake per config: tsc reports one problem per object literal, so each needs its own.
const base = { policy_version: "1", controller: { name: "X", contact: "dpo@x.example" } };
const text = { fr: "…" };
export const unknownField: AccordConfig = { ...base, purposes: [], colour: "blue" }; // ERROR not a field of the config
export const badBasis: AccordConfig = {
  ...base,
  purposes: [{ id: "ads", basis: "legitimate-interest", title: text, description: text }], // ERROR not a basis
};
const vendor = { id: "ads", name: "Ads", purpose: "ads", hosts: ["ads.example"], country: "US" };
export const badLifetime: AccordConfig = {
  ...base,
  purposes: [],
  vendors: [{ ...vendor, cookies: [{ name: "_a", lifetime_days: "395" }] }], // ERROR a number of days
};
export const badTransfer: AccordConfig = {
  ...base,
  purposes: [],
  vendors: [{ ...vendor, cookies: [], transfer_basis: "consent" }], // ERROR not a transfer basis
};
export const badUnknownHosts: AccordConfig = { ...base, purposes: [], unknown_hosts: "ask" }; // ERROR allow or block
export const badLanguage: AccordConfig = { ...base, purposes: [], languages: ["de"] }; // ERROR fr or en
export const badComment: AccordConfig = { ...base, purposes: [], note: "not a comment: no leading _" }; // ERROR unknown field

export const noController: AccordConfig = { policy_version: "1", purposes: [] }; // ERROR controller is required

console.log(when, code);
