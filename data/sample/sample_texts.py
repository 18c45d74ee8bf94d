"""Short free-text answers in the seven form languages, as respondents really write them.

Kept apart from the simulation so the phrases can be reviewed by speakers of each language.
A few contain an e-mail address or a phone number, as real returns do despite the privacy
notice, so the disclosure scrubbing has something to find. The addresses use example.com/.net
and the numbers are invented.
"""

from __future__ import annotations

PROBLEM: dict[str, tuple[str, ...]] = {
    "de": ("Keine Wohnung gefunden", "Die Ausländerbehörde antwortet nicht",
           "Kein Kitaplatz für mein Kind", "Zu lange Wartezeit auf einen Deutschkurs",
           "Die Anerkennung meines Diploms dauert zu lange", "Kaum Termine beim Facharzt"),
    "en": ("Finding a flat is very hard", "No answer from the immigration office",
           "My degree is not recognised", "Long waiting list for German courses",
           "Hard to find a doctor who takes new patients"),
    "ru": ("Не могу найти квартиру", "Ведомство по делам иностранцев не отвечает",
           "Долго ждать признания диплома", "Нет места в детском саду",
           "Трудно попасть к врачу", "Пенсии не хватает на жизнь"),
    "uk": ("Не можу знайти житло", "Довго чекати на курси німецької",
           "Мій диплом не визнають", "Немає місця в дитячому садку",
           "Важко записатися до лікаря"),
    "ar": ("لا أجد سكنًا مناسبًا", "دائرة الأجانب لا ترد على الرسائل",
           "الانتظار طويل لدورات اللغة الألمانية", "لم يتم الاعتراف بشهادتي",
           "صعوبة الحصول على موعد عند الطبيب"),
    "fa": ("پیدا کردن خانه خیلی سخت است", "اداره اتباع خارجی جواب نمی‌دهد",
           "منتظر کلاس زبان آلمانی هستم", "مدرک من به رسمیت شناخته نمی‌شود",
           "گرفتن وقت دکتر سخت است"),
    "vi": ("Khó tìm nhà ở", "Sở Ngoại kiều không trả lời thư",
           "Chờ lớp tiếng Đức quá lâu", "Bằng cấp của tôi chưa được công nhận",
           "Khó đặt lịch khám bác sĩ"),
}

SUGGEST: dict[str, tuple[str, ...]] = {
    "de": ("Mehr Beratung in anderen Sprachen", "Schnellere Termine bei der Ausländerbehörde",
           "Deutschkurse am Abend", "Bessere Busverbindungen auf dem Land",
           "Mehr bezahlbare Wohnungen"),
    "en": ("More counselling in our languages", "Faster appointments at the immigration office",
           "German courses in the evening", "Better buses in the countryside",
           "More affordable flats"),
    "ru": ("Больше консультаций на русском языке", "Быстрее рассматривать документы",
           "Вечерние курсы немецкого", "Лучше автобусное сообщение",
           "Больше доступного жилья"),
    "uk": ("Більше консультацій українською", "Швидше розглядати документи",
           "Вечірні курси німецької", "Кращий громадський транспорт",
           "Більше доступного житла"),
    "ar": ("المزيد من الاستشارات باللغة العربية", "مواعيد أسرع في دائرة الأجانب",
           "دورات لغة ألمانية مسائية", "مواصلات أفضل في الأرياف", "سكن بأسعار معقولة"),
    "fa": ("مشاوره بیشتر به زبان فارسی", "وقت‌های سریع‌تر در اداره اتباع خارجی",
           "کلاس‌های زبان آلمانی در عصر", "حمل‌ونقل عمومی بهتر در روستاها",
           "خانه‌های ارزان‌تر"),
    "vi": ("Thêm tư vấn bằng tiếng Việt", "Hẹn lịch nhanh hơn ở Sở Ngoại kiều",
           "Lớp tiếng Đức buổi tối", "Xe buýt tốt hơn ở nông thôn",
           "Nhiều nhà ở giá rẻ hơn"),
}

CONTACT: dict[str, tuple[str, ...]] = {
    "de": ("Bitte rufen Sie mich an: 0176 23456789",
           "Schreiben Sie mir gern: m.yilmaz@example.com"),
    "en": ("Please contact me at samir.h@example.net", "Call me on 0152 34567891"),
    "ru": ("Пишите мне: olga.petrova@example.com", "Мой телефон 0157 34567812"),
    "uk": ("Мій номер 0160 98765432, телефонуйте", "Пишіть: oksana.k@example.net"),
    "ar": ("تواصلوا معي على الرقم 0152 98765432", "بريدي: ahmad.k@example.com"),
    "fa": ("شماره من 0178 12345678 است", "ایمیل من: reza.m@example.com"),
    "vi": ("Số điện thoại của tôi: 0151 76543210", "Email: lan.nguyen@example.com"),
}

WHERE_ELSE: dict[str, tuple[str, ...]] = {
    "de": ("Beim Arzt", "In der Schule", "Im Supermarkt"),
    "en": ("At the doctor's", "At school", "In a shop"),
    "ru": ("У врача", "В школе", "В магазине"),
    "uk": ("У лікаря", "У школі", "У магазині"),
    "ar": ("عند الطبيب", "في المدرسة", "في المتجر"),
    "fa": ("پیش دکتر", "در مدرسه", "در فروشگاه"),
    "vi": ("Ở phòng khám", "Ở trường học", "Trong cửa hàng"),
}
