//! The words of the banner, in French first and English second, in plain language.
//! The UI only places them; the receipt (issue 6) hashes exactly what was shown.

use super::config::{Config, Lang, TransferBasis};

/// Every fixed text of the widget in one language.
pub struct Words {
    pub banner_title: &'static str,
    /// Followed by the controller's name and the purposes.
    pub intro: &'static str,
    pub partners_note: &'static str,
    pub refuse_note: &'static str,
    pub change_note: &'static str,
    /// `{n}` is replaced by the number of months.
    pub kept_note: &'static str,
    pub accept_all: &'static str,
    pub refuse_all: &'static str,
    pub customize: &'static str,
    pub close: &'static str,
    pub partners: &'static str,
    pub save: &'static str,
    pub manage: &'static str,
    pub back: &'static str,
    pub prefs_title: &'static str,
    pub prefs_intro: &'static str,
    pub necessary_note: &'static str,
    pub exempt_note: &'static str,
    pub partners_title: &'static str,
    pub col_partner: &'static str,
    pub col_purpose: &'static str,
    pub col_country: &'static str,
    pub col_transfer: &'static str,
    pub col_privacy: &'static str,
    pub privacy_link: &'static str,
    pub in_eu: &'static str,
    pub privacy_policy: &'static str,
    pub vendors_label: &'static str,
    /// Held embedded content: `{vendor}` and `{purpose}` are filled in.
    pub placeholder_title: &'static str,
    pub placeholder_text: &'static str,
    pub placeholder_button: &'static str,
    pub download_receipt: &'static str,
    /// Under Global Privacy Control; `{purposes}` is filled in.
    pub gpc_note: &'static str,
    /// The receipt file's name, before `-<record id>.json`.
    pub receipt_file: &'static str,
}

pub const FR: Words = Words {
    banner_title: "Vos choix sur les cookies",
    intro: "utilise des cookies et d'autres traceurs pour :",
    partners_note: "Certains sont déposés par nos partenaires.",
    refuse_note: "Vous pouvez refuser : le site reste entièrement utilisable.",
    change_note: "Vous pouvez changer d'avis à tout moment avec « Gérer mes cookies », en bas de chaque page.",
    kept_note: "Votre choix est gardé {n} mois, puis nous vous le redemanderons.",
    accept_all: "Tout accepter",
    refuse_all: "Tout refuser",
    customize: "Personnaliser",
    close: "Fermer sans accepter",
    partners: "Liste des partenaires",
    save: "Enregistrer mes choix",
    manage: "Gérer mes cookies",
    back: "Retour",
    prefs_title: "Personnaliser mes choix",
    prefs_intro: "Cochez ce que vous acceptez. Rien n'est coché d'avance.",
    necessary_note: "Toujours actifs : le site en a besoin pour fonctionner.",
    exempt_note: "Actif sauf si vous décochez : mesure anonyme, sans publicité. Décocher vaut opposition.",
    partners_title: "Nos partenaires",
    col_partner: "Partenaire",
    col_purpose: "Utilisation",
    col_country: "Pays",
    col_transfer: "Garantie si hors UE",
    col_privacy: "Confidentialité",
    privacy_link: "Sa politique",
    in_eu: "Union européenne ou pays reconnu adéquat",
    privacy_policy: "Notre politique de confidentialité",
    vendors_label: "Partenaires :",
    placeholder_title: "Contenu de {vendor} ({purpose})",
    placeholder_text: "L'afficher permet à {vendor} de déposer des traceurs sur votre appareil. Rien n'est chargé tant que vous ne l'avez pas autorisé.",
    placeholder_button: "Autoriser et afficher",
    download_receipt: "Télécharger ma preuve de consentement",
    gpc_note: "Votre navigateur envoie le signal « Global Privacy Control » : nous le respectons, et « Tout accepter » n'active pas {purposes}. Vous pouvez toujours l'accepter vous-même dans « Personnaliser ».",
    receipt_file: "preuve-consentement",
};

pub const EN: Words = Words {
    banner_title: "Your cookie choices",
    intro: "uses cookies and other trackers for:",
    partners_note: "Some are set by our partners.",
    refuse_note: "You can refuse: the whole site keeps working.",
    change_note:
        "You can change your mind at any time with “Manage cookies”, at the bottom of every page.",
    kept_note: "Your choice is kept for {n} months, then we will ask again.",
    accept_all: "Accept all",
    refuse_all: "Reject all",
    customize: "Customize",
    close: "Close without accepting",
    partners: "List of partners",
    save: "Save my choices",
    manage: "Manage cookies",
    back: "Back",
    prefs_title: "Customize my choices",
    prefs_intro: "Tick what you accept. Nothing is ticked in advance.",
    necessary_note: "Always on: the site needs them to work.",
    exempt_note:
        "On unless you untick it: anonymous measurement, no advertising. Unticking is an objection.",
    partners_title: "Our partners",
    col_partner: "Partner",
    col_purpose: "Use",
    col_country: "Country",
    col_transfer: "Safeguard outside the EU",
    col_privacy: "Privacy",
    privacy_link: "Their policy",
    in_eu: "European Union or adequate country",
    privacy_policy: "Our privacy policy",
    vendors_label: "Partners:",
    placeholder_title: "Content from {vendor} ({purpose})",
    placeholder_text: "Showing it lets {vendor} set trackers on your device. Nothing is loaded until you allow it.",
    placeholder_button: "Allow and show",
    download_receipt: "Download my consent receipt",
    gpc_note: "Your browser sends the Global Privacy Control signal: we respect it, and “Accept all” does not turn on {purposes}. You can still accept it yourself under “Customize”.",
    receipt_file: "consent-receipt",
};

pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

/// The language to speak: the page's `lang` when the config offers it, else the
/// config's first language (French unless the config says otherwise).
pub fn pick_language(config: &Config, page_lang: Option<&str>) -> Lang {
    let page = page_lang
        .map(|l| l.trim().to_ascii_lowercase())
        .and_then(|l| Lang::from_code(l.split(['-', '_']).next().unwrap_or("")));
    match page {
        Some(l) if config.languages.contains(&l) => l,
        _ => config.languages.first().copied().unwrap_or(Lang::Fr),
    }
}

pub fn transfer_label(basis: Option<TransferBasis>, lang: Lang) -> &'static str {
    match (basis, lang) {
        (None, l) => words(l).in_eu,
        (Some(TransferBasis::Adequacy), Lang::Fr) => "Décision d'adéquation",
        (Some(TransferBasis::Adequacy), Lang::En) => "Adequacy decision",
        (Some(TransferBasis::Scc), Lang::Fr) => "Clauses contractuelles types",
        (Some(TransferBasis::Scc), Lang::En) => "Standard contractual clauses",
        (Some(TransferBasis::Bcr), Lang::Fr) => "Règles d'entreprise contraignantes",
        (Some(TransferBasis::Bcr), Lang::En) => "Binding corporate rules",
        (Some(TransferBasis::Art49), Lang::Fr) => "Dérogation (article 49 du RGPD)",
        (Some(TransferBasis::Art49), Lang::En) => "Derogation (GDPR article 49)",
    }
}

/// The sentence shown under Global Privacy Control, if any purpose is refused by it.
pub fn gpc_note(config: &Config, lang: Lang) -> Option<String> {
    let titles: Vec<&str> = config
        .choosable()
        .filter(|p| p.refused_by_gpc())
        .map(|p| p.title.get(lang))
        .collect();
    (!titles.is_empty()).then(|| {
        let list = titles
            .iter()
            .map(|t| format!("« {t} »"))
            .collect::<Vec<_>>()
            .join(", ");
        words(lang).gpc_note.replace("{purposes}", &list)
    })
}

/// The notice a person is shown, as one text: the first layer, then the preferences
/// (every purpose with its description and note), then the partner list, one item a
/// line, in the order the widget shows them. Its SHA-256 is what a receipt proves was
/// shown; `accordctl notice` prints it for the archives of each policy version.
pub fn canonical_text(config: &Config, lang: Lang, gpc: bool) -> String {
    use super::config::Basis;
    let w = words(lang);
    let mut lines: Vec<String> = vec![
        w.banner_title.to_owned(),
        format!("{} {}", config.controller.name, w.intro),
    ];
    for p in config
        .purposes
        .iter()
        .filter(|p| p.basis != Basis::Necessary)
    {
        lines.push(format!("- {}", p.title.get(lang)));
    }
    if !config.vendors.is_empty() {
        lines.push(w.partners_note.to_owned());
    }
    lines.push(w.refuse_note.to_owned());
    if let Some(note) = gpc.then(|| gpc_note(config, lang)).flatten() {
        lines.push(note);
    }
    lines.push(format!(
        "{} {}",
        w.change_note,
        kept_note(lang, config.choice_lifetime_months)
    ));
    lines.push(format!(
        "[{}] [{}] [{}] [{}]",
        w.accept_all, w.refuse_all, w.customize, w.close
    ));
    lines.push(w.prefs_title.to_owned());
    lines.push(format!("{} {}", w.prefs_intro, w.refuse_note));
    for p in &config.purposes {
        let note = match p.basis {
            Basis::Necessary => format!(" {}", w.necessary_note),
            Basis::ExemptAudience => format!(" {}", w.exempt_note),
            Basis::Consent => String::new(),
        };
        lines.push(format!(
            "{}: {}{note}",
            p.title.get(lang),
            p.description.get(lang)
        ));
    }
    lines.push(w.partners_title.to_owned());
    for v in &config.vendors {
        let purpose = config
            .purpose(&v.purpose)
            .map(|p| p.title.get(lang))
            .unwrap_or("");
        lines.push(format!(
            "{} | {purpose} | {} | {} | {}",
            v.name,
            v.country,
            transfer_label(v.transfer_basis, lang),
            v.privacy_url
        ));
    }
    lines.join("\n")
}

/// `kept_note` with the number filled in.
pub fn kept_note(lang: Lang, months: u32) -> String {
    words(lang).kept_note.replace("{n}", &months.to_string())
}
