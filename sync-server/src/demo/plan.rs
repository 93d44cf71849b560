//! Who is in the demo organisation: its department tree, the people in it (Kazakh and Russian
//! names, positions, qualification levels, schedules) and each person's work pattern. Pure and
//! seeded: the same plan on every run.

use qamqor_core::Language;
use qamqor_protocol::Role;

use super::rng::Rng;

/// The demo organisation's name (its Kazakh form, «Қамқор Демо», is in the docs).
pub const ORG_NAME: &str = "Qamqor Demo";
/// The domain of every demo account: `.example` is reserved (RFC 2606), so no mail goes out.
pub const EMAIL_DOMAIN: &str = "qamqor-demo.example";
/// The password of every demo account: the demo is for showing, not for keeping secrets.
pub const PASSWORD: &str = "qamqor-demo-2026";
/// The generator's seed: change it for another, equally plausible organisation.
pub const SEED: u64 = 0x5141_4D51_4F52_2026;
/// Weeks of history before today.
pub const WEEKS: u32 = 12;

/// What kind of work a department does: its task titles, and whether people in it deal with
/// clients (they answer the questionnaire's client-related scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Office,
    It,
    Finance,
    People,
    Sales,
    Marketing,
}

/// A department of the demo organisation.
#[derive(Debug)]
pub struct DepartmentDef {
    pub name: &'static str,
    /// Index of the parent in [`DEPARTMENTS`] (always earlier in the list).
    pub parent: Option<usize>,
    pub area: Area,
    pub client_facing: bool,
    /// Employees placed directly in it.
    pub employees: usize,
    /// Positions held in it, with their qualification level (1-8, the national framework).
    pub positions: &'static [(&'static str, u8)],
    /// A top-level department with a manager: the manager's position.
    pub manager_position: Option<&'static str>,
}

const fn dept(
    name: &'static str,
    parent: Option<usize>,
    area: Area,
    client_facing: bool,
    employees: usize,
    positions: &'static [(&'static str, u8)],
    manager_position: Option<&'static str>,
) -> DepartmentDef {
    DepartmentDef { name, parent, area, client_facing, employees, positions, manager_position }
}

/// The department tree, parents first. Departments with a manager are top level, because
/// the server resolves a manager's own department by name among top-level ones (invitations).
pub const DEPARTMENTS: &[DepartmentDef] = &[
    // 0
    dept("Басқарма", None, Area::Office, false, 6, &[("Офис-менеджер", 4), ("Заңгер", 6), ("Іс жүргізуші", 3), ("Аудармашы", 5)], None),
    // 1
    dept(
        "Ақпараттық технологиялар",
        None,
        Area::It,
        false,
        3,
        &[("Бағдарламалық жасақтама сәулетшісі", 7), ("Жоба менеджері", 6)],
        Some("АТ бөлімінің басшысы"),
    ),
    // 2
    dept("Әзірлеу", Some(1), Area::It, false, 4, &[("Команда жетекшісі", 7), ("Тестілеу инженері", 5)], None),
    // 3
    dept(
        "Серверлік әзірлеу",
        Some(2),
        Area::It,
        false,
        26,
        &[("Бағдарламашы", 5), ("Аға бағдарламашы", 6), ("Кіші бағдарламашы", 4), ("Тестілеу инженері", 5)],
        None,
    ),
    // 4
    dept(
        "Мобильді әзірлеу",
        Some(2),
        Area::It,
        false,
        18,
        &[("Мобильді әзірлеуші", 5), ("Аға мобильді әзірлеуші", 6), ("UI/UX дизайнер", 5)],
        None,
    ),
    // 5
    dept(
        "Техникалық қолдау",
        Some(1),
        Area::It,
        true,
        25,
        &[("Техникалық қолдау маманы", 4), ("Қолдау қызметінің инженері", 5), ("Аға қолдау инженері", 5)],
        None,
    ),
    // 6
    dept("Инфрақұрылым", Some(1), Area::It, false, 12, &[("Жүйелік әкімші", 5), ("Желі инженері", 5), ("DevOps инженері", 6)], None),
    // 7
    dept("Қаржы", None, Area::Finance, false, 2, &[("Қаржы директорының орынбасары", 7)], Some("Қаржы бөлімінің басшысы")),
    // 8
    dept("Бухгалтерия", Some(7), Area::Finance, false, 16, &[("Бухгалтер", 5), ("Аға бухгалтер", 6), ("Бухгалтер-кассир", 4)], None),
    // 9
    dept("Қаржылық жоспарлау", Some(7), Area::Finance, false, 9, &[("Экономист", 5), ("Қаржы талдаушысы", 6)], None),
    // 10
    dept(
        "Персоналды басқару",
        None,
        Area::People,
        true,
        14,
        &[("HR маманы", 5), ("Рекрутер", 4), ("Кадр инспекторы", 4), ("Оқыту жөніндегі маман", 5)],
        Some("Персоналды басқару бөлімінің басшысы"),
    ),
    // 11
    dept("Сату", None, Area::Sales, true, 3, &[("Сату жөніндегі аға менеджер", 6)], Some("Сату бөлімінің басшысы")),
    // 12
    dept(
        "Солтүстік аймақ",
        Some(11),
        Area::Sales,
        true,
        22,
        &[("Сату менеджері", 4), ("Аға сату менеджері", 5), ("Клиенттермен жұмыс маманы", 4)],
        None,
    ),
    // 13
    dept(
        "Оңтүстік аймақ",
        Some(11),
        Area::Sales,
        true,
        22,
        &[("Сату менеджері", 4), ("Аға сату менеджері", 5), ("Клиенттермен жұмыс маманы", 4)],
        None,
    ),
    // 14
    dept(
        "Маркетинг",
        None,
        Area::Marketing,
        false,
        18,
        &[("Маркетолог", 5), ("Графикалық дизайнер", 5), ("Контент-менеджер", 4), ("SMM маманы", 4)],
        Some("Маркетинг бөлімінің басшысы"),
    ),
];

/// The profession card (of the shipped IT professional standards, `qamqor_core::competency`) the
/// admin assigns to each position one fits, by card id. Project managers, the managers
/// themselves and the non-IT positions other than content managers and graphic designers have
/// none: the act has no card for them.
pub const CARDS: &[(&str, &str)] = &[
    // Бағдарламалық жасақтама сәулетшісі, 7
    ("Бағдарламалық жасақтама сәулетшісі", "J62011053/6"),
    // Бағдарламалық қамтамасыз етуді жобалаушы, 7
    ("Команда жетекшісі", "J073/1"),
    // Қосымшаларды тестілеу жөніндегі маман, 5
    ("Тестілеу инженері", "J057/4"),
    // Қосымшалар бағдарламашы, 5 and 6
    ("Бағдарламашы", "J073/6"),
    ("Аға бағдарламашы", "J073/2"),
    // The act has no programmer card at level 4: juniors work towards the level-5 one.
    ("Кіші бағдарламашы", "J073/6"),
    // Ұялы қосымшаларды әзірлеуші, 5 and 6
    ("Мобильді әзірлеуші", "J073/11"),
    ("Аға мобильді әзірлеуші", "J073/5"),
    // IT-дизайнер, 5
    ("UI/UX дизайнер", "J62011053/1"),
    // АКТ пайдаланушыларын қолдау жөніндегі консультант, 4
    ("Техникалық қолдау маманы", "J076/2"),
    // Бағдарламалық қамтамасыз етуді қолдау жөніндегі маман, 5
    ("Қолдау қызметінің инженері", "J064/2"),
    // Қолдау қызметінің талдаушысы, 5
    ("Аға қолдау инженері", "J076/1"),
    // Ақпараттық жүйелер әкімшісі, 5
    ("Жүйелік әкімші", "J074/2"),
    // Желілік әкімші, 5
    ("Желі инженері", "J069/4"),
    // Ақпараттық технологиялар инфрақұрылымы инженері, 6
    ("DevOps инженері", "J071/2"),
    // Ақпараттық ресурстарды құру және басқару жөніндегі маман (контент-менеджер), 4
    ("Контент-менеджер", "J63999054/1"),
    // Графикалық жұмыс дизайнері, 5
    ("Графикалық дизайнер", "J058/1"),
];

/// The card of a position, if one fits.
pub fn card_of(position: &str) -> Option<&'static str> {
    CARDS.iter().find(|(p, _)| *p == position).map(|(_, card)| *card)
}

/// The top-level department `d` belongs to.
pub fn top_department(mut d: usize) -> usize {
    while let Some(p) = DEPARTMENTS[d].parent {
        d = p;
    }
    d
}

/// How a person works: drives their hours, check-in answers, tasks and questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// Regular hours, a lunch break, rested.
    Balanced,
    /// Long days most of the week, short breaks, more tasks than they finish.
    OvertimeHeavy,
    /// A normal day, then work again late most evenings.
    LateEvenings,
    /// Works most weekends.
    WeekendWorker,
    /// Short days, few check-ins, tasks pile up slowly.
    Disengaged,
    /// Starts balanced and gets steadily more overloaded over the twelve weeks.
    Drifting,
    /// The account exists but the person never signed in.
    NeverActivated,
}

impl Pattern {
    const ALL: [Pattern; 7] = [
        Pattern::Balanced,
        Pattern::OvertimeHeavy,
        Pattern::LateEvenings,
        Pattern::WeekendWorker,
        Pattern::Disengaged,
        Pattern::Drifting,
        Pattern::NeverActivated,
    ];
    /// Shares of the employees, in percent, in the order of `ALL`.
    const WEIGHTS: [u32; 7] = [40, 15, 12, 8, 10, 10, 5];

    /// The name used in the docs and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Pattern::Balanced => "balanced",
            Pattern::OvertimeHeavy => "overtime_heavy",
            Pattern::LateEvenings => "late_evenings",
            Pattern::WeekendWorker => "weekend_worker",
            Pattern::Disengaged => "disengaged",
            Pattern::Drifting => "drifting",
            Pattern::NeverActivated => "never_activated",
        }
    }
}

/// One person of the demo organisation.
#[derive(Debug, Clone)]
pub struct PersonPlan {
    pub name: String,
    pub email: String,
    pub role: Role,
    /// Index into [`DEPARTMENTS`].
    pub department: usize,
    pub position: &'static str,
    pub qualification_level: u8,
    pub language: Language,
    pub remote_work: bool,
    /// Scheduled working day, minutes after local midnight (Monday to Friday).
    pub start_minute: u16,
    pub end_minute: u16,
    pub pattern: Pattern,
    /// The week (0-based) in which the person first signs in: most on the first day.
    pub first_week: u32,
    pub device_name: &'static str,
    /// The profession card the admin assigns them ([`CARDS`]), if one fits their position.
    pub card: Option<&'static str>,
    /// Seed of the person's day-by-day draws.
    pub seed: u64,
    /// Asks, on the last day, for their account and data to be deleted (one person, so the
    /// panel's deletion requests have something to show).
    pub asks_deletion: bool,
}

impl PersonPlan {
    /// Whether the person ever signs in (and so has a phone in the simulation).
    pub fn activated(&self) -> bool {
        self.pattern != Pattern::NeverActivated
    }
}

/// The whole organisation.
#[derive(Debug, Clone)]
pub struct OrgPlan {
    pub admin: PersonPlan,
    /// One per top-level department with a manager, in [`DEPARTMENTS`] order.
    pub managers: Vec<PersonPlan>,
    pub employees: Vec<PersonPlan>,
}

impl OrgPlan {
    /// Everyone who has a phone in the demo: managers and activated employees.
    pub fn phones(&self) -> impl Iterator<Item = &PersonPlan> {
        self.managers.iter().chain(self.employees.iter()).filter(|p| p.activated())
    }

    /// The name of whoever hands out work in the department `d`: the manager of its top-level
    /// department, or the admin.
    pub fn assigner_of(&self, d: usize) -> &str {
        let top = top_department(d);
        self.managers.iter().find(|m| m.department == top).map_or(self.admin.name.as_str(), |m| m.name.as_str())
    }
}

// ---- names ------------------------------------------------------------------------------

/// (Cyrillic, Latin) first names.
const KAZAKH_MEN: &[(&str, &str)] = &[
    ("Ерлан", "erlan"),
    ("Нұрлан", "nurlan"),
    ("Асқар", "askar"),
    ("Бауыржан", "bauyrzhan"),
    ("Дәурен", "dauren"),
    ("Ержан", "erzhan"),
    ("Серік", "serik"),
    ("Айдос", "aidos"),
    ("Арман", "arman"),
    ("Данияр", "daniyar"),
    ("Ақжол", "akzhol"),
    ("Мақсат", "maksat"),
    ("Нұржан", "nurzhan"),
    ("Бекзат", "bekzat"),
    ("Қайрат", "kairat"),
    ("Талғат", "talgat"),
    ("Әлібек", "alibek"),
    ("Ернар", "ernar"),
    ("Темірлан", "temirlan"),
    ("Жандос", "zhandos"),
    ("Олжас", "olzhas"),
    ("Рүстем", "rustem"),
    ("Ғалым", "galym"),
    ("Санжар", "sanzhar"),
    ("Мұрат", "murat"),
];
const KAZAKH_WOMEN: &[(&str, &str)] = &[
    ("Айгерім", "aigerim"),
    ("Әсел", "asel"),
    ("Гүлнар", "gulnar"),
    ("Динара", "dinara"),
    ("Жансая", "zhansaya"),
    ("Аружан", "aruzhan"),
    ("Мадина", "madina"),
    ("Салтанат", "saltanat"),
    ("Ақмарал", "akmaral"),
    ("Назерке", "nazerke"),
    ("Жанар", "zhanar"),
    ("Айнұр", "ainur"),
    ("Гүлжан", "gulzhan"),
    ("Дана", "dana"),
    ("Камила", "kamila"),
    ("Балжан", "balzhan"),
    ("Томирис", "tomiris"),
    ("Айжан", "aizhan"),
    ("Меруерт", "meruert"),
    ("Сабина", "sabina"),
    ("Лаура", "laura"),
    ("Жұлдыз", "zhuldyz"),
    ("Әлия", "aliya"),
    ("Ботагөз", "botagoz"),
    ("Індира", "indira"),
];
const RUSSIAN_MEN: &[(&str, &str)] = &[
    ("Алексей", "aleksei"),
    ("Дмитрий", "dmitrii"),
    ("Сергей", "sergei"),
    ("Андрей", "andrei"),
    ("Максим", "maksim"),
    ("Игорь", "igor"),
    ("Виктор", "viktor"),
    ("Павел", "pavel"),
    ("Артём", "artem"),
    ("Никита", "nikita"),
];
const RUSSIAN_WOMEN: &[(&str, &str)] = &[
    ("Елена", "elena"),
    ("Ольга", "olga"),
    ("Наталья", "natalya"),
    ("Татьяна", "tatyana"),
    ("Ирина", "irina"),
    ("Анна", "anna"),
    ("Екатерина", "ekaterina"),
    ("Юлия", "yuliya"),
    ("Светлана", "svetlana"),
    ("Мария", "mariya"),
];
/// (Cyrillic, Latin) surnames in their masculine form; each ends in -ов/-ев, whose feminine
/// form adds -а / -a.
const KAZAKH_SURNAMES: &[(&str, &str)] = &[
    ("Сейітов", "seitov"),
    ("Ахметов", "akhmetov"),
    ("Нұрланов", "nurlanov"),
    ("Жұмабаев", "zhumabaev"),
    ("Сапаров", "saparov"),
    ("Бекмұханов", "bekmukhanov"),
    ("Омаров", "omarov"),
    ("Тоқтаров", "toktarov"),
    ("Әбдірахманов", "abdrakhmanov"),
    ("Қасымов", "kasymov"),
    ("Ермеков", "ermekov"),
    ("Исабеков", "isabekov"),
    ("Мұратов", "muratov"),
    ("Сәрсенбаев", "sarsenbaev"),
    ("Есенов", "esenov"),
    ("Кенжебеков", "kenzhebekov"),
    ("Байжанов", "baizhanov"),
    ("Дүйсенов", "duisenov"),
    ("Әлиев", "aliev"),
    ("Оспанов", "ospanov"),
    ("Тұрсынов", "tursynov"),
    ("Жақсылықов", "zhaksylykov"),
    ("Серікбаев", "serikbaev"),
    ("Қуанышев", "kuanyshev"),
    ("Ибраев", "ibraev"),
];
const RUSSIAN_SURNAMES: &[(&str, &str)] = &[
    ("Иванов", "ivanov"),
    ("Петров", "petrov"),
    ("Смирнов", "smirnov"),
    ("Кузнецов", "kuznetsov"),
    ("Попов", "popov"),
    ("Васильев", "vasilev"),
    ("Соколов", "sokolov"),
    ("Морозов", "morozov"),
    ("Волков", "volkov"),
    ("Лебедев", "lebedev"),
    ("Новиков", "novikov"),
    ("Козлов", "kozlov"),
];

const DEVICES: &[&str] = &[
    "Samsung Galaxy A54",
    "Samsung Galaxy S23",
    "iPhone 13",
    "iPhone 15",
    "Xiaomi Redmi Note 13",
    "Xiaomi 13T",
    "Google Pixel 8",
    "HONOR X8b",
    "realme 11",
];

/// Draws a display name, a unique email and the language the person uses the app in.
fn draw_identity(r: &mut Rng, taken: &mut std::collections::HashSet<String>) -> (String, String, Language) {
    let kazakh = r.chance(0.75);
    let woman = r.chance(0.5);
    let (first, surname) = match (kazakh, woman) {
        (true, false) => (r.pick(KAZAKH_MEN), r.pick(KAZAKH_SURNAMES)),
        (true, true) => (r.pick(KAZAKH_WOMEN), r.pick(KAZAKH_SURNAMES)),
        (false, false) => (r.pick(RUSSIAN_MEN), r.pick(RUSSIAN_SURNAMES)),
        (false, true) => (r.pick(RUSSIAN_WOMEN), r.pick(RUSSIAN_SURNAMES)),
    };
    let (ending, latin_ending) = if woman { ("а", "a") } else { ("", "") };
    let name = format!("{} {}{ending}", first.0, surname.0);
    let local = format!("{}.{}{latin_ending}", first.1, surname.1);
    let mut email = format!("{local}@{EMAIL_DOMAIN}");
    let mut n = 2;
    while !taken.insert(email.clone()) {
        email = format!("{local}{n}@{EMAIL_DOMAIN}");
        n += 1;
    }
    let language = match (kazakh, r.unit()) {
        (_, x) if x < 0.05 => Language::En,
        (true, x) if x < 0.65 => Language::Kk,
        _ => Language::Ru,
    };
    (name, email, language)
}

/// A working day of about nine hours with a lunch break, starting at 8, 9 or 10.
fn draw_hours(r: &mut Rng) -> (u16, u16) {
    match r.weighted(&[20, 65, 15]) {
        0 => (8 * 60, 17 * 60),
        1 => (9 * 60, 18 * 60),
        _ => (10 * 60, 19 * 60),
    }
}

fn person(r: &mut Rng, taken: &mut std::collections::HashSet<String>, role: Role, department: usize, position: (&'static str, u8), pattern: Pattern) -> PersonPlan {
    let (name, email, language) = draw_identity(r, taken);
    let (start_minute, end_minute) = draw_hours(r);
    let device_name = *r.pick(DEVICES);
    let first_week = if pattern != Pattern::NeverActivated && role == Role::Employee && r.chance(0.06) {
        r.range(2, 8) as u32
    } else {
        0
    };
    PersonPlan {
        name,
        email,
        role,
        department,
        position: position.0,
        qualification_level: position.1,
        language,
        remote_work: DEPARTMENTS[department].area == Area::It && r.chance(0.3) || r.chance(0.05),
        start_minute,
        end_minute,
        pattern,
        first_week,
        device_name,
        card: if role == Role::Employee { card_of(position.0) } else { None },
        seed: r.next_u64(),
        asks_deletion: false,
    }
}

/// The demo organisation: the same people, positions and patterns on every run.
pub fn plan() -> OrgPlan {
    let root = Rng::new(SEED);
    let mut taken = std::collections::HashSet::new();
    let mut r = root.fork(0);
    let mut admin = person(&mut r, &mut taken, Role::Admin, 0, ("Операциялық директор", 7), Pattern::Balanced);
    // The admin has a role address: it is what the demo prints.
    taken.remove(&admin.email);
    admin.email = format!("admin@{EMAIL_DOMAIN}");
    taken.insert(admin.email.clone());

    let mut managers = Vec::new();
    for (d, def) in DEPARTMENTS.iter().enumerate() {
        if let Some(position) = def.manager_position {
            let mut r = root.fork(1000 + d as u64);
            let pattern = if r.chance(0.5) { Pattern::OvertimeHeavy } else { Pattern::Balanced };
            managers.push(person(&mut r, &mut taken, Role::Manager, d, (position, 7), pattern));
        }
    }

    let mut employees = Vec::new();
    for (d, def) in DEPARTMENTS.iter().enumerate() {
        for _ in 0..def.employees {
            let mut r = root.fork(10_000 + employees.len() as u64);
            let pattern = Pattern::ALL[r.weighted(&Pattern::WEIGHTS)];
            let position = *r.pick(def.positions);
            employees.push(person(&mut r, &mut taken, Role::Employee, d, position, pattern));
        }
    }
    if let Some(leaving) = employees.iter_mut().find(|p| p.pattern == Pattern::Disengaged && p.first_week == 0) {
        leaving.asks_deletion = true;
    }
    OrgPlan { admin, managers, employees }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_is_the_same_every_time() {
        let (a, b) = (plan(), plan());
        let emails = |p: &OrgPlan| p.employees.iter().map(|e| (e.email.clone(), e.pattern, e.seed)).collect::<Vec<_>>();
        assert_eq!(emails(&a), emails(&b));
        assert_eq!(a.managers[0].email, b.managers[0].email);
    }

    #[test]
    fn about_two_hundred_people_with_unique_emails_and_a_manager_per_top_department() {
        let p = plan();
        assert_eq!(p.employees.len(), 200);
        assert_eq!(p.managers.len(), DEPARTMENTS.iter().filter(|d| d.manager_position.is_some()).count());
        let mut emails: Vec<&str> = p.employees.iter().chain(&p.managers).map(|e| e.email.as_str()).collect();
        emails.push(&p.admin.email);
        let n = emails.len();
        emails.sort_unstable();
        emails.dedup();
        assert_eq!(emails.len(), n, "emails are unique");
        for m in &p.managers {
            assert!(DEPARTMENTS[m.department].parent.is_none(), "managers lead top-level departments");
        }
        for (i, d) in DEPARTMENTS.iter().enumerate() {
            assert!(d.parent.is_none_or(|parent| parent < i), "parents come first");
        }
        assert!(DEPARTMENTS.iter().enumerate().any(|(i, _)| top_department(i) != i && DEPARTMENTS[i].parent != Some(top_department(i))), "three levels");
    }

    #[test]
    fn the_cards_are_in_the_catalogue_at_about_the_positions_level() {
        let catalogue = qamqor_core::competency::catalogue().unwrap();
        let p = plan();
        for e in &p.employees {
            let Some(id) = e.card else { continue };
            let card = catalogue.card(id).unwrap_or_else(|| panic!("{id} is not in the catalogue"));
            let level = card.level.unwrap();
            assert!(level.abs_diff(e.qualification_level) <= 1, "{} ({}) has {id} at level {level}", e.position, e.qualification_level);
        }
        let it: Vec<_> = p.employees.iter().filter(|e| DEPARTMENTS[e.department].area == Area::It).collect();
        let carded = it.iter().filter(|e| e.card.is_some()).count();
        assert!(carded * 10 >= it.len() * 9, "most of IT has a card: {carded} of {}", it.len());
        assert!(p.employees.iter().any(|e| e.card.is_some() && DEPARTMENTS[e.department].area != Area::It), "a few others too");
        assert!(p.managers.iter().all(|m| m.card.is_none()));
    }

    #[test]
    fn every_pattern_occurs_and_about_five_percent_never_sign_in() {
        let p = plan();
        for pattern in Pattern::ALL {
            assert!(p.employees.iter().any(|e| e.pattern == pattern), "{pattern:?}");
        }
        let never = p.employees.iter().filter(|e| !e.activated()).count();
        assert!((4..=20).contains(&never), "{never} never activated");
        assert!(p.employees.iter().any(|e| e.first_week > 0), "some start later");
        assert!(p.employees.iter().all(|e| e.activated() || e.first_week == 0));
    }
}
