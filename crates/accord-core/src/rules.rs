//! The names of the config's rules and of the page's error codes: stable contracts
//! (`accordctl check` prints a rule per error; pages listen for `accord:error` codes),
//! one enum each, every variant citing its source. ARCHITECTURE.md lists them all, and
//! `tests/layering.rs` checks that each appears there and in at least one test.

use std::fmt;

macro_rules! named {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every variant, in the order of the documentation.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable name.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        /// Compared with its stable name, as tables and tools write it.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.name() == *other
            }
        }
    };
}

named! {
    /// A rule of the config (SPEC §2), named in every `ConfigError`.
    pub enum Rule {
        /// The file is not JSON (RFC 8259), or names a key twice (SPEC §2: one file, one
        /// config, whichever parser reads it).
        JsonSyntax = "json-syntax",
        /// A required field is missing (SPEC §2).
        Required = "required",
        /// A field has the wrong JSON type (SPEC §2).
        Type = "type",
        /// A value outside the field's closed list (SPEC §2).
        Enum = "enum",
        /// A field the config does not know: a misspelt one would be silently ignored
        /// (SPEC §2).
        UnknownField = "unknown-field",
        /// More entries than the config may have: validation stays fast on hostile input
        /// (issue 14; SPEC §2).
        TooMany = "too-many",
        /// A name or a text longer than the config allows (issue 14; SPEC §2).
        TooLong = "too-long",
        /// An id that is not `[a-z][a-z0-9_-]*` (SPEC §2: ids appear in cookies).
        IdFormat = "id-format",
        /// Two purposes or two vendors with the same id (SPEC §2).
        UniqueId = "unique-id",
        /// A text missing in French (French first) or in a language the config lists
        /// (SPEC §2).
        Language = "language",
        /// A `policy_version` that cannot be carried by the record and the receipts
        /// (SPEC §4; GDPR art. 7(1): a consent names the notice it was given for).
        PolicyVersion = "policy-version",
        /// `choice_lifetime_months` outside 1 to 13 (CNIL 2020-092; `law::MAX_MONTHS`).
        ChoiceLifetime = "choice-lifetime",
        /// `refusal_lifetime_months` outside 6 to 13 (CNIL 2020-092; `law::MIN_REFUSAL_MONTHS`).
        RefusalLifetime = "refusal-lifetime",
        /// A declared cookie lifetime outside 1 to 395 days (CNIL 2020-091 and 2020-092:
        /// 13 months; `law::MAX_COOKIE_DAYS`).
        CookieLifetime = "cookie-lifetime",
        /// A cookie name or pattern that cannot be a cookie name (RFC 6265; SPEC §2).
        CookieName = "cookie-name",
        /// A host that is not `host`, `*.host` or `host:port` (SPEC §5).
        HostFormat = "host-format",
        /// A vendor without hosts: nothing of it could be told apart (SPEC §2, §5).
        VendorHosts = "vendor-hosts",
        /// A vendor whose purpose is not declared (SPEC §2).
        VendorPurpose = "vendor-purpose",
        /// Vendors of different purposes share a host or a cookie: a request or a cookie
        /// would follow whichever comes first (SPEC §2).
        VendorOverlap = "vendor-overlap",
        /// An `allowed_hosts` entry that is also a vendor's host (SPEC §5).
        AllowedHostConflict = "allowed-host-conflict",
        /// A country that is not an ISO 3166-1 alpha-2 code (SPEC §2).
        CountryFormat = "country-format",
        /// A vendor outside the EU/EEA and the adequacy list without a transfer basis
        /// (GDPR art. 44–46; `law::EU_EEA`, `law::ADEQUATE`).
        TransferBasis = "transfer-basis",
        /// Health data named in a purpose or a category (GDPR art. 9; CNIL NS 56;
        /// `law::HEALTH_WORDS`).
        HealthExcluded = "health-excluded",
        /// An exempt audience purpose or tool that does not meet the exemption's
        /// conditions (CNIL 2020-091 art. 5; `law::MAX_EXEMPT_RETENTION_MONTHS`).
        ExemptAudience = "exempt-audience",
        /// A necessary purpose's vendor without a listed exemption, or of a category
        /// that is never necessary (CNIL 2020-091 art. 5; `law::NEVER_NECESSARY`).
        NecessaryExemption = "necessary-exemption",
        /// A Google Consent Mode signal that does not exist (SPEC §6).
        ConsentMode = "consent-mode",
        /// A consent log endpoint that is not the site's own (SPEC §4: receipts go to the
        /// insurer's own server, never to a third party).
        FirstPartyEndpoint = "first-party-endpoint",
        /// A `site_domain` that is not a bare registrable domain (SPEC §6, CNIL 2020-091
        /// art. 5: an exempt tool serves the site's own domain).
        SiteDomain = "site-domain",
        /// An `internal_code.shapes` entry that cannot be a code shape (SPEC §7, NS 56).
        CodeShape = "code-shape",
    }
}

named! {
    /// The code of an `accord:error` event (SPEC §8, §9): stable, so that a page's
    /// monitoring can count them.
    pub enum ErrorCode {
        /// `data-config` did not load (network, HTTP error): nothing activated (SPEC §8).
        ConfigUnreachable = "ACCORD_CONFIG_UNREACHABLE",
        /// No `data-config` and no `#accord-config` (SPEC §1).
        ConfigMissing = "ACCORD_CONFIG_MISSING",
        /// The config is not JSON (SPEC §8).
        ConfigSyntax = "ACCORD_CONFIG_SYNTAX",
        /// The config breaks a rule (SPEC §2, §8): every error is listed.
        ConfigInvalid = "ACCORD_CONFIG_INVALID",
        /// The module did not answer within 10 s: the page fails closed (SPEC §8).
        ModuleTimeout = "ACCORD_MODULE_TIMEOUT",
        /// The module could not be loaded (SPEC §8).
        ModuleUnavailable = "ACCORD_MODULE_UNAVAILABLE",
        /// The dialogs module (the preferences, the partner list) could not be loaded
        /// or mounted: the layer the person was on stays, nothing is decided for them
        /// (GDPR art. 7: no consent without a choice; SPEC §8 fail closed).
        DialogsUnavailable = "ACCORD_DIALOGS_UNAVAILABLE",
        /// The forms module could not be loaded or started: the page's sensitive fields
        /// and guarded fields stay disabled, no prospection box is offered, so nothing
        /// is collected without its consent (NS 56; SPEC §7, §8 fail closed).
        FormsUnavailable = "ACCORD_FORMS_UNAVAILABLE",
        /// A record or a marker could not be stored: a grant that cannot be stored is a
        /// refusal (GDPR art. 7(1)).
        Storage = "ACCORD_STORAGE",
        /// The browser gave no random values: no record id, no choice recorded.
        Random = "ACCORD_RANDOM",
        /// The record cookie does not decode: asking again (SPEC §4).
        RecordCorrupt = "ACCORD_RECORD_CORRUPT",
        /// The record is dated in the future: asking again (SPEC §4).
        Clock = "ACCORD_CLOCK",
        /// The opt-out marker does not decode: it objects to every exempt purpose
        /// (SPEC §6: fail closed).
        OptoutCorrupt = "ACCORD_OPTOUT_CORRUPT",
        /// A `data-accord-optout` naming no purpose that can be refused (SPEC §6).
        OptoutUnknownPurpose = "ACCORD_OPTOUT_UNKNOWN_PURPOSE",
        /// A `data-accord-purpose` the config does not declare: that tag stays inert
        /// (SPEC §5).
        TagUnknownPurpose = "ACCORD_TAG_UNKNOWN_PURPOSE",
        /// A vendor is served from the page's own origin: only its tagged scripts can be
        /// held (SPEC §5).
        VendorSameOrigin = "ACCORD_VENDOR_SAME_ORIGIN",
        /// A bad argument to `Accord.set`: nothing changes (SPEC §9).
        ApiInvalid = "ACCORD_API_INVALID",
        /// `data-accord-form` is neither `subscription` nor `contest`: no block rendered
        /// (SPEC §7).
        FormKind = "ACCORD_FORM_KIND",
        /// A `data-accord-sensitive` field names no known kind of sensitive data: it stays
        /// disabled (SPEC §7, NS 56).
        FormSensitive = "ACCORD_FORM_SENSITIVE",
        /// The account cookie is not an account identifier: the page counts as signed
        /// out, the device's own choice applies (CNIL 2025-131; `account`).
        AccountInvalid = "ACCORD_ACCOUNT_INVALID",
        /// The consent service did not give a signed-in account's choice in time: the
        /// device's own choice applies, and a choice made now still names the account
        /// (CNIL 2025-131; `account`).
        AccountUnavailable = "ACCORD_ACCOUNT_UNAVAILABLE",
    }
}
