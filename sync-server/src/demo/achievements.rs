//! What the demo's people record as achievements (types of the default rating catalogue,
//! `qamqor_core::rating::default_catalogue`, weighted by the kind of work a department does, with
//! titles in the person's app language), the evidence photos some of them attach (a certificate
//! drawn here as a small PNG, which the phone's photo pipeline shrinks and re-encodes like any
//! picture), and what a manager writes when rejecting one.

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage};
use qamqor_core::Language;

use super::plan::Area;
use super::rng::Rng;

/// The achievement types a department's people record, with their weights.
pub fn type_weights(area: Area) -> &'static [(&'static str, u32)] {
    match area {
        Area::It => &[
            ("professional.project", 30),
            ("professional.course", 18),
            ("professional.certification", 12),
            ("methodical.guide", 9),
            ("methodical.new_method", 6),
            ("methodical.training_given", 5),
            ("research.conference_talk", 5),
            ("social.mentoring", 6),
            ("organisational.process", 3),
            ("organisational.committee", 2),
            ("professional.award", 2),
            ("research.article", 1),
            ("research.patent", 1),
        ],
        Area::Office => &[
            ("professional.course", 25),
            ("organisational.process", 20),
            ("organisational.committee", 15),
            ("methodical.guide", 10),
            ("organisational.event", 10),
            ("social.volunteering", 10),
            ("social.mentoring", 10),
        ],
        Area::Finance => &[
            ("professional.course", 25),
            ("professional.certification", 20),
            ("organisational.process", 15),
            ("methodical.guide", 10),
            ("professional.project", 10),
            ("organisational.committee", 10),
            ("social.mentoring", 5),
            ("social.volunteering", 3),
            ("research.article", 2),
        ],
        Area::People => &[
            ("methodical.training_given", 20),
            ("organisational.event", 20),
            ("professional.course", 15),
            ("social.mentoring", 10),
            ("organisational.process", 10),
            ("social.public_event", 10),
            ("social.volunteering", 10),
            ("methodical.guide", 5),
        ],
        Area::Sales => &[
            ("professional.project", 25),
            ("professional.course", 20),
            ("professional.award", 15),
            ("social.public_event", 15),
            ("professional.certification", 10),
            ("social.mentoring", 10),
            ("organisational.event", 5),
        ],
        Area::Marketing => &[
            ("professional.project", 25),
            ("social.public_event", 15),
            ("organisational.event", 15),
            ("professional.course", 15),
            ("professional.award", 8),
            ("research.conference_talk", 7),
            ("methodical.guide", 5),
            ("social.volunteering", 5),
            ("research.article", 3),
            ("methodical.new_method", 2),
        ],
    }
}

/// (type, area it is specific to or `None` for any, Kazakh, Russian, English) titles.
const TITLES: &[(&str, Option<Area>, &str, &str, &str)] = &[
    ("research.article", None, "«Цифрлық Қазақстан» журналындағы мақала", "Статья в журнале «Цифровой Казахстан»", "Article in the Digital Kazakhstan journal"),
    ("research.conference_talk", None, "Kazakhstan IT Forum конференциясында баяндама", "Доклад на конференции Kazakhstan IT Forum", "Talk at the Kazakhstan IT Forum"),
    ("research.conference_talk", None, "Астанадағы кәсіби конференцияда баяндама", "Доклад на профессиональной конференции в Астане", "Talk at a professional conference in Astana"),
    ("research.patent", None, "Бағдарламаға авторлық құқық куәлігі", "Свидетельство об авторском праве на программу", "Copyright certificate for a program"),
    ("professional.certification", Some(Area::It), "AWS Certified Solutions Architect сертификаты", "Сертификат AWS Certified Solutions Architect", "AWS Certified Solutions Architect certificate"),
    ("professional.certification", Some(Area::It), "Certified Kubernetes Administrator сертификаты", "Сертификат Certified Kubernetes Administrator", "Certified Kubernetes Administrator certificate"),
    ("professional.certification", Some(Area::It), "ISTQB Foundation Level сертификаты", "Сертификат ISTQB Foundation Level", "ISTQB Foundation Level certificate"),
    ("professional.certification", Some(Area::It), "Cisco CCNA сертификаты", "Сертификат Cisco CCNA", "Cisco CCNA certificate"),
    ("professional.certification", Some(Area::Finance), "ДипИФР сертификаты", "Сертификат ДипИФР", "IFRS diploma (DipIFR)"),
    ("professional.certification", Some(Area::Finance), "Кәсіби бухгалтер сертификаты", "Сертификат профессионального бухгалтера", "Professional accountant certificate"),
    ("professional.certification", Some(Area::Sales), "Келіссөздер жүргізу сертификаты", "Сертификат по ведению переговоров", "Negotiation skills certificate"),
    ("professional.course", Some(Area::It), "«Rust тілінде бағдарламалау» курсы аяқталды", "Пройден курс «Программирование на Rust»", "Completed the course “Programming in Rust”"),
    ("professional.course", Some(Area::It), "«Kotlin корутиндері» курсы аяқталды", "Пройден курс «Корутины Kotlin»", "Completed the course “Kotlin coroutines”"),
    ("professional.course", Some(Area::It), "«Ақпараттық қауіпсіздік негіздері» курсы аяқталды", "Пройден курс «Основы информационной безопасности»", "Completed the course “Information security basics”"),
    ("professional.course", Some(Area::It), "«PostgreSQL әкімшілендіру» курсы аяқталды", "Пройден курс «Администрирование PostgreSQL»", "Completed the course “PostgreSQL administration”"),
    ("professional.course", Some(Area::Finance), "«ХҚЕС жаңартулары» курсы аяқталды", "Пройден курс «Изменения в МСФО»", "Completed the course “IFRS updates”"),
    ("professional.course", Some(Area::Finance), "«Excel-дегі қаржылық модельдеу» курсы аяқталды", "Пройден курс «Финансовое моделирование в Excel»", "Completed the course “Financial modelling in Excel”"),
    ("professional.course", Some(Area::Sales), "«B2B сату» курсы аяқталды", "Пройден курс «Продажи B2B»", "Completed the course “B2B sales”"),
    ("professional.course", Some(Area::Marketing), "«Таргеттелген жарнама» курсы аяқталды", "Пройден курс «Таргетированная реклама»", "Completed the course “Targeted advertising”"),
    ("professional.course", Some(Area::People), "«Еңбек заңнамасы 2026» курсы аяқталды", "Пройден курс «Трудовое законодательство 2026»", "Completed the course “Labour law 2026”"),
    ("professional.course", Some(Area::Office), "«Іс қағаздарын мемлекеттік тілде жүргізу» курсы аяқталды", "Пройден курс «Делопроизводство на государственном языке»", "Completed the course “Records management in Kazakh”"),
    ("professional.project", Some(Area::It), "Мобильді қосымшаның жаңа нұсқасы шығарылды", "Выпущена новая версия мобильного приложения", "Shipped a new release of the mobile app"),
    ("professional.project", Some(Area::It), "Төлем модулі іске қосылды", "Запущен платёжный модуль", "Launched the payments module"),
    ("professional.project", Some(Area::It), "Серверлер жаңа деректер орталығына көшірілді", "Серверы перенесены в новый дата-центр", "Moved the servers to the new data centre"),
    ("professional.project", Some(Area::It), "Өтінімдерді өңдеу уақыты екі есе қысқартылды", "Время обработки обращений сокращено вдвое", "Halved the ticket handling time"),
    ("professional.project", Some(Area::Finance), "Жылдық бюджет уақтылы жасалды", "Годовой бюджет подготовлен в срок", "Delivered the annual budget on time"),
    ("professional.project", Some(Area::Sales), "Ірі клиентпен жылдық шарт жасалды", "Заключён годовой договор с крупным клиентом", "Signed a yearly contract with a key client"),
    ("professional.project", Some(Area::Marketing), "Жаңа брендтік науқан іске қосылды", "Запущена новая брендовая кампания", "Launched the new brand campaign"),
    ("professional.award", None, "Айдың үздік қызметкері", "Лучший сотрудник месяца", "Employee of the month"),
    ("professional.award", Some(Area::Sales), "Тоқсандағы сату жоспарын асыра орындау", "Перевыполнение плана продаж за квартал", "Beat the quarterly sales target"),
    ("professional.award", Some(Area::It), "Хакатонда жүлделі орын", "Призовое место на хакатоне", "Prize at a hackathon"),
    ("methodical.guide", Some(Area::It), "Жаңа әзірлеушілерге арналған нұсқаулық", "Руководство для новых разработчиков", "Onboarding guide for new developers"),
    ("methodical.guide", None, "Бөлімнің жұмыс регламенті жазылды", "Написан регламент работы отдела", "Wrote the department's working procedures"),
    ("methodical.new_method", Some(Area::It), "Автоматты тестілеу енгізілді", "Внедрено автоматическое тестирование", "Introduced automated testing"),
    ("methodical.new_method", None, "Жаңа есеп беру құралы енгізілді", "Внедрён новый инструмент отчётности", "Introduced a new reporting tool"),
    ("methodical.training_given", None, "Әріптестерге арналған семинар өткізілді", "Проведён семинар для коллег", "Ran a workshop for colleagues"),
    ("methodical.training_given", Some(Area::People), "Жаңа қызметкерлерге арналған тренинг", "Тренинг для новых сотрудников", "Training for new employees"),
    ("social.mentoring", None, "Жаңа әріптестің тәлімгері болдым", "Наставничество нового коллеги", "Mentored a new colleague"),
    ("social.mentoring", None, "Тағылымдамадан өтушіге жетекшілік", "Руководство стажёром", "Supervised an intern"),
    ("social.public_event", None, "Университет студенттеріне дәріс", "Лекция для студентов университета", "Lecture for university students"),
    ("social.public_event", None, "Қалалық мансап күнінде сөз сөйлеу", "Выступление на городском дне карьеры", "Spoke at the city careers day"),
    ("social.volunteering", None, "Сенбілікке қатысу", "Участие в субботнике", "Joined the community clean-up"),
    ("social.volunteering", None, "Балалар үйіне қайырымдылық көмек", "Благотворительная помощь детскому дому", "Charity help for an orphanage"),
    ("organisational.event", None, "Корпоративтік спорт күні ұйымдастырылды", "Организован корпоративный день спорта", "Organised the company sports day"),
    ("organisational.event", None, "Наурыз мерекесі ұйымдастырылды", "Организован праздник Наурыз", "Organised the Nauryz celebration"),
    ("organisational.committee", None, "Еңбекті қорғау комиссиясындағы жұмыс", "Работа в комиссии по охране труда", "Work on the health and safety committee"),
    ("organisational.committee", None, "Цифрландыру жұмыс тобындағы жұмыс", "Работа в рабочей группе по цифровизации", "Work in the digitalisation working group"),
    ("organisational.process", None, "Құжаттарды келісу процесі жеделдетілді", "Ускорен процесс согласования документов", "Sped up the document approval process"),
    ("organisational.process", None, "Электрондық құжат айналымына көшу", "Переход на электронный документооборот", "Moved to electronic document flow"),
];

/// A title of this type for someone of `area`, in their language.
pub fn title(r: &mut Rng, type_id: &str, area: Area, language: Language) -> String {
    let fitting: Vec<_> = TITLES.iter().filter(|t| t.0 == type_id && t.1 == Some(area)).collect();
    let any: Vec<_> = TITLES.iter().filter(|t| t.0 == type_id && t.1.is_none()).collect();
    let pool = if fitting.is_empty() || (!any.is_empty() && r.chance(0.2)) { any } else { fitting };
    let (_, _, kk, ru, en) = **r.pick(&pool);
    match language {
        Language::Kk => kk,
        Language::Ru => ru,
        Language::En => en,
    }
    .to_string()
}

/// Types whose people sometimes photograph a certificate or a diploma as evidence, and how often.
pub fn evidence_chance(type_id: &str) -> f64 {
    match type_id {
        "professional.certification" | "professional.award" => 0.25,
        "professional.course" | "research.conference_talk" | "research.patent" => 0.08,
        _ => 0.0,
    }
}

/// What a reviewer writes when rejecting (in their language).
pub fn rejection(r: &mut Rng, has_evidence: bool, language: Language) -> String {
    const REASONS: &[(&str, &str, &str)] = &[
        ("Бұл күнделікті жұмыс міндеті, жетістік емес", "Это обычная рабочая обязанность, а не достижение", "This is part of the regular duties, not an achievement"),
        ("Бұл жетістік бұрын тіркелген", "Это достижение уже записано раньше", "This achievement was recorded before"),
        ("Түрі қате: оқу курсы ретінде қайта тіркеңіз", "Не тот тип: запишите заново как пройденный курс", "Wrong type: record it again as a completed course"),
    ];
    const NO_EVIDENCE: (&str, &str, &str) =
        ("Растайтын құжат жоқ: сертификаттың суретін тіркеңіз", "Нет подтверждения: приложите фото сертификата", "No evidence: attach a photo of the certificate");
    let (kk, ru, en) = if !has_evidence && r.chance(0.4) { NO_EVIDENCE } else { *r.pick(REASONS) };
    match language {
        Language::Kk => kk,
        Language::Ru => ru,
        Language::En => en,
    }
    .to_string()
}

/// A photographed certificate: a small PNG with a coloured frame, a heading, lines of text and a
/// round seal, different for every draw.
pub fn certificate_png(r: &mut Rng) -> Vec<u8> {
    let (w, h) = (256u32, 180u32);
    let frames = [[27, 94, 32], [13, 71, 161], [136, 14, 79], [191, 54, 12], [55, 71, 79]];
    let frame = Rgb(*r.pick(&frames));
    let ink = Rgb([40, 40, 48]);
    let seal = Rgb(if r.chance(0.5) { [21, 101, 192] } else { [198, 40, 40] });
    let mut img = RgbImage::from_fn(w, h, |_, _| {
        // Paper under uneven light: a little noise.
        let n = (r.next_u64() % 9) as u8;
        Rgb([246 - n, 241 - n, 228 - n])
    });
    let rect = |img: &mut RgbImage, x0: u32, y0: u32, x1: u32, y1: u32, c: Rgb<u8>| {
        for y in y0..y1.min(h) {
            for x in x0..x1.min(w) {
                img.put_pixel(x, y, c);
            }
        }
    };
    rect(&mut img, 0, 0, w, 10, frame);
    rect(&mut img, 0, h - 10, w, h, frame);
    rect(&mut img, 0, 0, 10, h, frame);
    rect(&mut img, w - 10, 0, w, h, frame);
    // The heading, then lines of text of varying length.
    let heading = r.range(100, 150) as u32;
    rect(&mut img, (w - heading) / 2, 28, (w + heading) / 2, 37, ink);
    let mut y = 54;
    while y < 124 {
        let len = r.range(110, 200) as u32;
        rect(&mut img, (w - len) / 2, y, (w + len) / 2, y + 4, ink);
        y += 14;
    }
    // A signature line and the seal.
    rect(&mut img, 32, 148, 110, 150, ink);
    let (cx, cy, radius) = (200i64, 143i64, 22i64);
    for y in cy - radius..=cy + radius {
        for x in cx - radius..=cx + radius {
            let d = (x - cx).pow(2) + (y - cy).pow(2);
            if d <= radius * radius && (d >= (radius - 4).pow(2) || d <= (radius - 12).pow(2)) {
                img.put_pixel(x as u32, y as u32, seal);
            }
        }
    }
    let mut png = Cursor::new(Vec::new());
    img.write_to(&mut png, ImageFormat::Png).expect("encoding a PNG in memory");
    png.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_weighted_type_is_in_the_default_catalogue_and_has_a_title() {
        let catalogue = qamqor_core::rating::default_catalogue();
        for area in [Area::Office, Area::It, Area::Finance, Area::People, Area::Sales, Area::Marketing] {
            for (type_id, _) in type_weights(area) {
                assert!(catalogue.types.iter().any(|t| t.id == *type_id && !t.archived), "{type_id}");
                let mut r = Rng::new(1);
                for language in [Language::Kk, Language::Ru, Language::En] {
                    assert!(!title(&mut r, type_id, area, language).is_empty());
                }
            }
        }
        for t in TITLES {
            assert!(catalogue.types.iter().any(|x| x.id == t.0), "{}", t.0);
            for s in [t.2, t.3, t.4] {
                assert!(s.chars().count() <= 200, "{s}");
            }
        }
    }

    #[test]
    fn a_certificate_is_a_png_the_photo_pipeline_takes() {
        let png = certificate_png(&mut Rng::new(7));
        assert_eq!(image::guess_format(&png).unwrap(), ImageFormat::Png);
        assert_ne!(png, certificate_png(&mut Rng::new(8)), "each one differs");
        let photo = qamqor_core::photo::process_photo_within("evidence", &png, 768, 40 * 1024).unwrap();
        assert!(photo.jpeg.starts_with(&[0xFF, 0xD8]));
    }
}
