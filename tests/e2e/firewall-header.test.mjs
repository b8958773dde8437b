// The firewall catalogue behind a real nginx sending the headers of `accordctl nginx`
// ("policy": "server"): see catalogue.mjs. Needs nginx and target/debug/accordctl.
import { runCatalogue } from "./catalogue.mjs";

runCatalogue({ header: true });
