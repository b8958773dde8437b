// The firewall catalogue with "policy": "client" (the firewall alone, under the test pages'
// permissive CSP): see catalogue.mjs.
import { runCatalogue } from "./catalogue.mjs";

runCatalogue({ header: false });
