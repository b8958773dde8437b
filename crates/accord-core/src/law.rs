//! One home for every legal number and list Accord applies, each citing its source.
//! A leaf module: it imports nothing, and every rule that needs a figure reads it here
//! (ARCHITECTURE.md, "Where each rule lives").

/// The longest a tracker, a cookie or a choice may live: 13 months from the first
/// deposit, never extended by a later visit. CNIL deliberation 2020-091 (guidelines on
/// cookies and other trackers; art. 5 for exempt trackers) and 2020-092
/// (recommendation: the same ceiling for keeping a choice); loi Informatique et
/// Libertés art. 82.
pub const MAX_MONTHS: u32 = 13;

/// [`MAX_MONTHS`] in whole days (13 × 365.25 / 12 = 395.7, rounded down): the ceiling
/// of a declared cookie lifetime (`lifetime_days`), which counts days, not months.
pub const MAX_COOKIE_DAYS: u32 = (MAX_MONTHS as u64 * 36_525 / 1_200) as u32;

/// The longest an exempt audience-measurement tool may keep the data it collects:
/// 25 months. CNIL deliberation 2020-091, art. 5 (conditions of the exemption of
/// audience measurement), and the CNIL's list of exempt tools.
pub const MAX_EXEMPT_RETENTION_MONTHS: u32 = 25;

/// How long a choice is kept before asking again, when the config does not say:
/// 6 months, the CNIL's recommended interval (CNIL deliberation 2020-092, on keeping
/// the choice).
pub const DEFAULT_CHOICE_MONTHS: u32 = 6;

/// The shortest a refusal is remembered: do not ask again for at least 6 months
/// (CNIL deliberation 2020-092, good practice on keeping a refusal; the EU Digital
/// Omnibus proposal, COM(2025) 837, says the same).
pub const MIN_REFUSAL_MONTHS: u32 = 6;

/// EU and EEA member states (ISO 3166-1 alpha-2): transfers to them need no basis
/// (GDPR art. 44–45; the EEA Agreement, Annex XI, for IS, LI and NO). As of 2026-12.
pub const EU_EEA: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// Countries with a European Commission adequacy decision covering the whole country
/// (GDPR art. 45(3); the Commission's list, as of 2026-12). The United States are not
/// listed: only certified companies are covered (Data Privacy Framework, Commission
/// decision 2023/1795), so a US vendor must say `transfer_basis` (`adequacy` for a
/// certified one).
pub const ADEQUATE: &[&str] = &[
    "AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY",
];

/// Words that declare health data, refused anywhere a purpose or category is named:
/// a banner never collects health data (GDPR art. 9; CNIL NS 56, « Données de santé »:
/// an insurer's marketing may not use them).
pub const HEALTH_WORDS: &[&str] = &[
    "health",
    "sante",
    "santé",
    "medical",
    "médical",
    "medicale",
    "médicale",
];

/// Vendor categories that are never strictly necessary, whatever a config says: CNIL
/// deliberation 2020-091, art. 5 (social-network and third-party audience trackers
/// need consent); CNIL sanction against Condé Nast (November 2025: advertising
/// declared « strictement nécessaire » is a breach).
pub const NEVER_NECESSARY: &[&str] = &[
    "advertising",
    "partner-sharing",
    "social",
    "audience",
    "analytics",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_bound_is_13_months_of_days() {
        assert_eq!(MAX_COOKIE_DAYS, 395);
    }
}
