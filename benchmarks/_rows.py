"""Generated batch rows with the variety of real ones: every row a new person, address, order and story.

Names combine large pools of Russian surnames (with their feminine forms), first names and patronymics of both
genders, with double-barrelled surnames, invariable ones (Черных, Шевченко, Петросян) and rare ones made from
syllables (root × suffix: Кудрявцевский, Сычук…), so that a batch of 10 000 rows has (almost) no name twice and the
declension caches of the code under test are not flattered by a few dozen repeated names. Addresses span 40 regions,
orders 8 problem kinds in several scenarios each, 12 companies (OGRN/ИНН with valid checksums), varied amounts,
dates, channels and evidence. Deterministic for a seed.

Self-contained: it does not import complaint_cli (the rows are checked by ``complaint batch`` itself, which must
accept every one of them).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

ON = dt.date(2026, 11, 25)  # the batch's date (``--on``/COMPLAINT_CLI_TODAY): every date of the rows is before it

# --------------------------------------------------------------------------- people

# Masculine forms; the feminine is derived (-ов/-ев/-ин → +а, -ский → -ская, -ой/-ый → -ая, the rest unchanged).
SURNAMES = """
Смирнов Иванов Кузнецов Соколов Попов Лебедев Козлов Новиков Морозов Петров Волков Соловьёв Васильев Зайцев Павлов
Семёнов Голубев Виноградов Богданов Воробьёв Фёдоров Михайлов Беляев Тарасов Белов Комаров Орлов Киселёв Макаров
Андреев Ковалёв Ильин Гусев Титов Кузьмин Кудрявцев Баранов Куликов Алексеев Степанов Яковлев Сорокин Сергеев
Романов Захаров Борисов Королёв Герасимов Пономарёв Григорьев Лазарев Медведев Ершов Никитин Соболев Рябов Поляков
Цветков Данилов Жуков Фролов Журавлёв Николаев Крылов Максимов Сидоров Осипов Белоусов Федотов Дорофеев Егоров
Матвеев Бобров Дмитриев Калинин Анисимов Петухов Антонов Тимофеев Никифоров Веселов Филиппов Марков Большаков
Суханов Миронов Ширяев Александров Коновалов Шестаков Казаков Ефимов Денисов Громов Фомин Давыдов Мельников Щербаков
Блинов Колесников Карпов Афанасьев Власов Маслов Исаков Тихонов Аксёнов Гаврилов Родионов Котов Горбунов Кудряшов
Быков Зуев Третьяков Савельев Панов Рыбаков Суворов Абрамов Воронов Мухин Архипов Трофимов Мартынов Емельянов
Горшков Чернов Овчинников Селезнёв Панфилов Копылов Михеев Галкин Назаров Лобанов Лукин Беляков Потапов Некрасов
Хохлов Жданов Наумов Шилов Воронцов Ермаков Дроздов Игнатьев Савин Логинов Сафонов Капустин Кириллов Моисеев
Елисеев Кошелев Костин Горбачёв Орехов Ефремов Исаев Евдокимов Калашников Кабанов Носков Юдин Кулагин Лапин
Прохоров Нестеров Харитонов Агафонов Муравьёв Ларионов Федосеев Зимин Пахомов Шубин Игнатов Филатов Крюков Рогов
Кулаков Терентьев Молчанов Владимиров Артемьев Гурьев Зиновьев Гришин Кононов Дементьев Ситников Симонов Мишин
Фадеев Комиссаров Мамонтов Носов Гуляев Шаров Устинов Вишняков Евсеев Лаврентьев Брагин Константинов Корнилов
Авдеев Зыков Бирюков Шарапов Никонов Щукин Дьячков Одинцов Сазонов Якушев Красильников Гордеев Самойлов Князев
Беспалов Уваров Шашков Бобылёв Доронин Белозёров Рожков Самсонов Мясников Лихачёв Буров Сысоев Фомичёв Русаков
Стрелков Гущин Тетерин Колобов Субботин Фокин Блохин Селиверстов Пестов Кондратьев Силин Меркушев Лыткин Туров
Достоевский Покровский Вознесенский Преображенский Успенский Рождественский Богословский Троицкий Никольский
Введенский Соловецкий Невский Жуковский Вяземский Заболоцкий Островский Белинский Чайковский Левицкий Ковальский
Толстой Лановой Полевой Боровой Луговой Крутой Мостовой Белый Черный Рыжий Гладкий Тихий
"""
INVARIABLE_SURNAMES = """
Черных Седых Белых Долгих Кривых Русских Польских Крученых Шевченко Бондаренко Коваленко Ткаченко Кравченко
Олейник Ковальчук Кравчук Полищук Мельничук Ярошенко Лысенко Руденко Марченко Савченко Петросян Акопян Саркисян
Григорян Оганесян Гусейнов Алиев Ким Цой Пак Ли Шапиро Гинзбург Бабич Кравец Мирошниченко Дубовик Гайдамака
Гоцадзе Беридзе Кипиани Чавчавадзе Мегрелишвили Сухишвили
"""
INVARIABLE_FEMININE = {"Гусейнов": "Гусейнова", "Алиев": "Алиева"}  # among the "invariable" list, these are not

# Roots for rare surnames: root × suffix gives thousands of plausible names not in any list.
ROOTS = """
Бел Черн Сед Гром Мороз Снег Дуб Клён Берёз Осин Рябин Калин Малин Сосн Елов Ворон Сорок Грач Скворц Синиц Щегл Сыч
Филин Кречет Сокол Ястреб Лис Волч Медвед Бобр Барсук Куниц Ёж Заяц Лос Олен Тур Зубр Сом Щук Карас Окун Лещ Налим
Ерш Кудр Рыж Лыс Горб Хром Мал Больш Толст Тонк Длин Корот Быстр Тих Весел Грустн Молчан Говорун Смел Храбр Удал
Кузн Плотн Столяр Бондар Гончар Кожемяк Ткач Швец Мельн Пахар Косар Жнец Пастух Рыбак Охотн Бортн Пчел Колес Обод
Гвозд Молот Топор Пил Долот Клещ Серп Кос Лопат Вил Гребен Ситн Решетн Квас Калач Блин Пирог Щеч Каш Крупен Солод
Хмел Мёд Сахар Перц Чеснок Лук Репн Морков Капуст Горох Бобов Гречн Овсян Ржан Пшен Ячмен Просян Полев Лугов Лесн
Болотн Речн Озерн Горн Дол Яр Бор Рощ Поля Застав Заречн Подгорн Загородн Посадск Слобод Погост Кремн Камен Песчан
"""
SUFFIXES = [("ов", 30), ("ев", 8), ("ин", 14), ("ский", 10), ("цев", 4), ("енко", 6), ("ук", 4), ("ых", 3),
            ("ович", 2), ("ёнок", 1), ("яков", 3), ("анов", 4), ("ишин", 3), ("овский", 4), ("уха", 1)]

MALE_NAMES = """
Александр Сергей Дмитрий Андрей Алексей Максим Евгений Иван Михаил Артём Никита Владимир Николай Павел Роман Денис
Илья Кирилл Егор Антон Олег Игорь Юрий Вадим Виктор Константин Тимофей Матвей Глеб Степан Фёдор Тимур Руслан Арсений
Даниил Марк Лев Ярослав Всеволод Святослав Богдан Захар Савелий Елисей Платон Тихон Прохор Демид Мирон Филипп Гордей
Ростислав Вячеслав Станислав Геннадий Валерий Анатолий Борис Григорий Леонид Аркадий Эдуард Эмиль Ринат Артур
Семён Вениамин Герман Родион Назар Лука Никон Ефим Афанасий Евстафий Трофим Карп Пантелеймон Нестор
"""
FEMALE_NAMES = """
Анна Мария Елена Ольга Наталья Татьяна Ирина Светлана Екатерина Юлия Анастасия Дарья Марина Людмила Валентина
Галина Надежда Виктория Ксения Полина Алина Алёна Вера Любовь Оксана Евгения Кристина Софья Варвара Александра
Василиса Ульяна Таисия Милана Ева Злата Вероника Арина Маргарита Диана Лидия Нина Зоя Раиса Антонина Тамара Лариса
Жанна Инна Элеонора Эльвира Регина Зарина Карина Камила Алсу Гузель Айгуль Лилия Роза Серафима Агата Агафья
Пелагея Евдокия Ефросинья Аграфена Глафира Прасковья Устинья Фёкла Мирослава Ярослава Богдана Владислава Стефания
"""
# Fathers' names → (masculine, feminine) patronymic; the irregular ones written out.
PATRONYMICS = [
    ("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"), ("Дмитриевич", "Дмитриевна"),
    ("Андреевич", "Андреевна"), ("Алексеевич", "Алексеевна"), ("Максимович", "Максимовна"),
    ("Евгеньевич", "Евгеньевна"), ("Иванович", "Ивановна"), ("Михайлович", "Михайловна"), ("Артёмович", "Артёмовна"),
    ("Никитич", "Никитична"), ("Владимирович", "Владимировна"), ("Николаевич", "Николаевна"),
    ("Павлович", "Павловна"), ("Романович", "Романовна"), ("Денисович", "Денисовна"), ("Ильич", "Ильинична"),
    ("Кириллович", "Кирилловна"), ("Егорович", "Егоровна"), ("Антонович", "Антоновна"), ("Олегович", "Олеговна"),
    ("Игоревич", "Игоревна"), ("Юрьевич", "Юрьевна"), ("Вадимович", "Вадимовна"), ("Викторович", "Викторовна"),
    ("Константинович", "Константиновна"), ("Тимофеевич", "Тимофеевна"), ("Матвеевич", "Матвеевна"),
    ("Глебович", "Глебовна"), ("Степанович", "Степановна"), ("Фёдорович", "Фёдоровна"), ("Тимурович", "Тимуровна"),
    ("Русланович", "Руслановна"), ("Арсеньевич", "Арсеньевна"), ("Даниилович", "Данииловна"),
    ("Маркович", "Марковна"), ("Львович", "Львовна"), ("Ярославович", "Ярославовна"),
    ("Всеволодович", "Всеволодовна"), ("Богданович", "Богдановна"), ("Захарович", "Захаровна"),
    ("Савельевич", "Савельевна"), ("Платонович", "Платоновна"), ("Тихонович", "Тихоновна"),
    ("Вячеславович", "Вячеславовна"), ("Станиславович", "Станиславовна"), ("Геннадьевич", "Геннадьевна"),
    ("Валерьевич", "Валерьевна"), ("Анатольевич", "Анатольевна"), ("Борисович", "Борисовна"),
    ("Григорьевич", "Григорьевна"), ("Леонидович", "Леонидовна"), ("Аркадьевич", "Аркадьевна"),
    ("Эдуардович", "Эдуардовна"), ("Ринатович", "Ринатовна"), ("Артурович", "Артуровна"),
    ("Семёнович", "Семёновна"), ("Вениаминович", "Вениаминовна"), ("Германович", "Германовна"),
    ("Родионович", "Родионовна"), ("Назарович", "Назаровна"), ("Лукич", "Лукинична"), ("Ефимович", "Ефимовна"),
    ("Афанасьевич", "Афанасьевна"), ("Кузьмич", "Кузьминична"), ("Фомич", "Фоминична"), ("Саввич", "Саввична"),
    ("Петрович", "Петровна"), ("Васильевич", "Васильевна"), ("Яковлевич", "Яковлевна"), ("Ахмедович", "Ахмедовна"),
    ("Рашидович", "Рашидовна"), ("Маратович", "Маратовна"), ("Ашотович", "Ашотовна"), ("Гурамович", "Гурамовна"),
]


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def feminine(surname: str) -> str:
    if surname in INVARIABLE_FEMININE:
        return INVARIABLE_FEMININE[surname]
    if "-" in surname:
        return "-".join(feminine(part) for part in surname.split("-"))
    for end, fem in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая"), ("ый", "ая"), ("ий", "яя")):
        if surname.endswith(end):
            return surname[: -len(end)] + fem
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")) and surname not in _INVARIABLE:
        return surname + "а"
    return surname


_COMMON = SURNAMES.split()
_INVARIABLE = set(INVARIABLE_SURNAMES.split()) - set(INVARIABLE_FEMININE)
_INVARIABLE_LIST = INVARIABLE_SURNAMES.split()
_ROOTS = ROOTS.split()
_MALE = MALE_NAMES.split()
_FEMALE = FEMALE_NAMES.split()


def rare_surname(rng: random.Random) -> str:
    """A surname from syllables: Сычов, Кремнишин, Гвоздовский, Бортненко…"""
    root, suffix = rng.choice(_ROOTS), _weighted(rng, SUFFIXES)
    root = root.rstrip("йьаяоеёиыуюэ") or root
    if suffix in ("ов", "ев") and root[-1] in "жшчщц":
        suffix = "ев"
    return root + suffix


def surname(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.45:
        return rng.choice(_COMMON)
    if r < 0.53:
        return rng.choice(_INVARIABLE_LIST)
    if r < 0.56:  # double-barrelled
        return f"{rng.choice(_COMMON)}-{rare_surname(rng) if rng.random() < 0.5 else rng.choice(_COMMON)}"
    return rare_surname(rng)


def person(rng: random.Random) -> tuple[str, str]:
    """(full name, gender): «Фамилия Имя Отчество», 2 % without a patronymic."""
    male = rng.random() < 0.5
    family = surname(rng)
    if not male:
        family = feminine(family)
    first = rng.choice(_MALE if male else _FEMALE)
    if rng.random() < 0.02:
        return f"{family} {first}", "male" if male else "female"
    pair = rng.choice(PATRONYMICS)
    return f"{family} {first} {pair[0] if male else pair[1]}", "male" if male else "female"


_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                      "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))


def translit(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower() if ch.isalnum() or ch in "-")


# --------------------------------------------------------------------------- places

# (region as the claimant's «регион» field takes it, the city, whether the region is written in the address)
PLACES = [
    ("Москва", "Москва", False), ("Санкт-Петербург", "Санкт-Петербург", False),
    ("Московская область", "Химки", True), ("Московская область", "Подольск", True),
    ("Московская область", "Балашиха", True), ("Ленинградская область", "Гатчина", True),
    ("Республика Татарстан", "Казань", True), ("Республика Татарстан", "Набережные Челны", True),
    ("Республика Башкортостан", "Уфа", True), ("Свердловская область", "Екатеринбург", True),
    ("Новосибирская область", "Новосибирск", True), ("Нижегородская область", "Нижний Новгород", True),
    ("Самарская область", "Самара", True), ("Самарская область", "Тольятти", True),
    ("Ростовская область", "Ростов-на-Дону", True), ("Краснодарский край", "Краснодар", True),
    ("Краснодарский край", "Сочи", True), ("Челябинская область", "Челябинск", True),
    ("Омская область", "Омск", True), ("Красноярский край", "Красноярск", True),
    ("Воронежская область", "Воронеж", True), ("Пермский край", "Пермь", True),
    ("Волгоградская область", "Волгоград", True), ("Саратовская область", "Саратов", True),
    ("Тюменская область", "Тюмень", True), ("Удмуртская Республика", "Ижевск", True),
    ("Алтайский край", "Барнаул", True), ("Иркутская область", "Иркутск", True),
    ("Ульяновская область", "Ульяновск", True), ("Хабаровский край", "Хабаровск", True),
    ("Ярославская область", "Ярославль", True), ("Приморский край", "Владивосток", True),
    ("Томская область", "Томск", True), ("Оренбургская область", "Оренбург", True),
    ("Кемеровская область — Кузбасс", "Новокузнецк", True), ("Рязанская область", "Рязань", True),
    ("Пензенская область", "Пенза", True), ("Липецкая область", "Липецк", True),
    ("Калининградская область", "Калининград", True), ("Тульская область", "Тула", True),
]
STREETS = """
ул.|Ленина ул.|Советская ул.|Мира пр.|Мира ул.|Гагарина ул.|Пушкина ул.|Лермонтова ул.|Садовая ул.|Школьная
ул.|Молодёжная ул.|Лесная ул.|Центральная ул.|Новая ул.|Набережная ул.|Октябрьская ул.|Первомайская ул.|Кирова
ул.|Чехова ул.|Строителей пр.|Ленинградский пр.|Победы ул.|Комсомольская ул.|Заводская ул.|Полевая ул.|Зелёная
ул.|Солнечная ул.|Жуковского ул.|Суворова ул.|Чапаева ул.|Маяковского ул.|Некрасова ул.|Гоголя ул.|Толстого
пер.|Банный пер.|Тихий б-р|Цветной б-р|Яна_Райниса ш.|Энтузиастов ул.|Академика_Королёва ул.|Маршала_Жукова
ул.|Тверская-Ямская_1-я ул.|2-я_Хуторская мкр.|Северный ул.|Космонавтов ул.|Дзержинского ул.|Фрунзе ул.|Калинина
"""
_STREETS = [s.replace("|", " ").replace("_", " ") for s in STREETS.split()]


def address(rng: random.Random) -> tuple[str, str]:
    """(address, region)."""
    region, city, with_region = rng.choice(PLACES)
    house = f"д. {rng.randint(1, 180)}{rng.choice(['', '', '', '', 'А', 'Б', ' к1', ', корп. 2', ', стр. 3'])}"
    flat = f", кв. {rng.randint(1, 480)}" if rng.random() < 0.9 else ""
    index = f"{rng.randint(101000, 692999)}, " if rng.random() < 0.93 else ""
    where = f"{region}, г. {city}" if with_region else f"г. {city}"
    return f"{index}{where}, {rng.choice(_STREETS)}, {house}{flat}", region


def phone(rng: random.Random) -> str:
    a, b, c, d = rng.randint(900, 999), rng.randint(100, 999), rng.randint(0, 99), rng.randint(0, 99)
    return rng.choice([f"+7 {a} {b}-{c:02d}-{d:02d}", f"8 ({a}) {b}-{c:02d}-{d:02d}", f"+7{a}{b}{c:02d}{d:02d}",
                       f"8{a}{b}{c:02d}{d:02d}", f"+7 ({a}) {b} {c:02d} {d:02d}"])


# --------------------------------------------------------------------------- companies


def ogrn(rng: random.Random) -> str:
    body = f"{rng.choice('15')}{rng.randint(10, 25):02d}{rng.randint(77, 78)}{rng.randint(0, 9999999):07d}"
    return body + str(int(body) % 11 % 10)


def inn(rng: random.Random) -> str:
    body = f"{rng.randint(77, 78)}{rng.randint(0, 9999999):07d}"
    return body + str(sum(w * int(d) for w, d in zip((2, 4, 10, 3, 5, 9, 4, 6, 8), body)) % 11 % 10)


# (legal name, brand, aggregator, head position)
COMPANIES = [
    ("ООО «Инстамарт Сервис»", "Купер", True, "Генеральный директор"),
    ("ООО «Лавка Экспресс»", "Лавка", False, "Генеральный директор"),
    ("ООО «Самокатный двор»", "Самокат", False, "Генеральный директор"),
    ("АО «Торговый дом „Перекрёсток-Онлайн“»", "Перекрёсток Впрок", False, "Генеральный директор"),
    ("ООО «ВкусМаркет»", "ВкусВилл", False, "Генеральный директор"),
    ("ООО «Маркетплейс Плюс»", "Плюс Маркет", True, "Генеральный директор"),
    ("ООО «Деливери Клаб Ритейл»", "Доставка Клаб", True, "Генеральный директор"),
    ("ООО «Утконос Онлайн»", "Утконос", False, "Генеральный директор"),
    ("ПАО «Магнит-Доставка»", "Магнит", False, "Президент"),
    ("ООО «Ашан Онлайн»", "Ашан", False, "Генеральный директор"),
    ("ООО «Фуд Логистик»", "", True, "Директор"),
    ("АО «Городской супермаркет»", "", False, "Генеральный директор"),
]
_OFFICES = ["ул. Льва Толстого", "Ленинградский пр.", "ул. Садовническая", "Кутузовский пр.", "Варшавское ш."]


def _company_ids(rng: random.Random) -> dict[str, str]:
    street = rng.choice(_OFFICES)
    return {"company.address": f"{rng.randint(101000, 129999)}, г. Москва, {street}, д. {rng.randint(1, 90)}",
            "company.ogrn": ogrn(rng), "company.inn": inn(rng) if rng.random() < 0.6 else ""}


_ids = random.Random(0)  # each company has one address, OGRN and ИНН, whatever the seed of the rows
_COMPANY_IDS = {name: _company_ids(_ids) for name, *_ in COMPANIES}
SELLERS = ["ООО «Ромашка-Ритейл»", "ООО «Продукты у дома»", "ИП Карпов Сергей Иванович", "ООО «Фермерская лавка»",
           "АО «Гастроном № 1»", "ООО «Северная звезда»", "ООО «Берёзка»", "ИП Ахмедова Лейла Рашидовна"]

GOODS = [
    ("Молоко 3,2 %, 1 л", 89, 129), ("Кефир 1 %, 900 мл", 79, 119), ("Сыр «Российский», 200 г", 199, 349),
    ("Кофе молотый, 250 г", 399, 899), ("Чай чёрный, 100 пакетиков", 199, 459), ("Хлеб бородинский", 59, 99),
    ("Пельмени «Домашние», 800 г", 349, 599), ("Мороженое пломбир, 80 г", 69, 119), ("Йогурт греческий 2 %", 89, 189),
    ("Курица охлаждённая, 1,5 кг", 349, 549), ("Филе лосося, 500 г", 899, 1590), ("Сметана 20 %, 300 г", 119, 189),
    ("Яйца куриные С1, 10 шт.", 99, 159), ("Масло сливочное 82,5 %, 180 г", 199, 299), ("Бананы, 1 кг", 109, 169),
    ("Яблоки «Гала», 1 кг", 129, 229), ("Авокадо хасс, 2 шт.", 249, 399), ("Творог 5 %, 350 г", 149, 249),
    ("Колбаса докторская, 400 г", 299, 499), ("Вода минеральная, 1,5 л", 59, 109), ("Сок яблочный, 1 л", 119, 199),
    ("Шоколад горький 70 %, 90 г", 129, 249), ("Подгузники, 52 шт.", 999, 1899), ("Стиральный порошок, 3 кг", 499, 899),
    ("Корм для кошек, 2 кг", 699, 1299), ("Креветки варёно-мороженые, 1 кг", 899, 1599), ("Икра лососевая, 100 г", 999,
                                                                                           1790),
]


def money(value: float) -> str:
    """1234.5 → «1 234,50» (as people type it in a spreadsheet)."""
    whole, cents = divmod(round(value * 100), 100)
    return f"{whole:,}".replace(",", " ") + f",{cents:02d}"


def _clock(rng: random.Random, after: int | None = None) -> str:
    """A time of day; ``after``: an hour it must follow (a delivery the same day as the order came after it)."""
    low = 9 if after is None else min(after + 1, 23)
    return f"{rng.randint(low, max(low, 22)):02d}:{rng.randint(0, 59):02d}"


def _date(d: dt.date, rng: random.Random) -> str:
    return d.strftime("%d.%m.%Y") if rng.random() < 0.8 else d.isoformat()


# --------------------------------------------------------------------------- stories

EVIDENCE = ["Скриншот заказа № {n} в приложении", "Электронный кассовый чек по заказу № {n}",
            "Скриншоты переписки с поддержкой", "Фотографии содержимого пакетов", "Выписка по банковской карте",
            "Фотографии товара и упаковки с датой изготовления", "Видео вскрытия пакетов при курьере",
            "Скриншот статуса заказа «Доставлен» со временем доставки", "Ответ поддержки по электронной почте",
            "Показания соседа, который был при получении заказа"]
SUPPORT = ["В чате поддержки ответили, что «проверят», но деньги не вернули.",
           "Поддержка предложила промокод на 300 рублей, от которого я отказался.",
           "Оператор по телефону пообещал перезвонить, но звонка не было.",
           "Обращение в чате закрыли без ответа.", "Поддержка ответила шаблоном и больше не отвечает.",
           "Мне предложили баллы вместо денег — я их не принял.", ""]


def _items(rng: random.Random, count: int) -> list[dict[str, str]]:
    picked = rng.sample(GOODS, count)
    return [{"name": name, "quantity": str(rng.randint(1, 4)), "price": money(rng.randint(lo, hi) - 0.1)}
            for name, lo, hi in picked]


def _price(item: dict[str, str]) -> float:
    return float(item["price"].replace(" ", "").replace(",", "."))


def story(rng: random.Random, number: str, ordered: dt.date) -> dict[str, str]:
    """The order, problem and demands columns of one row: one of several scenarios per problem kind."""
    kind = rng.choices(["late_delivery", "missing_items", "wrong_items", "poor_quality", "expired_goods",
                        "overcharge", "refund_not_received", "courier_conduct"],
                       weights=[26, 20, 8, 12, 12, 8, 8, 6])[0]
    items = _items(rng, rng.randint(1, 3))
    goods = sum(_price(i) * int(i["quantity"]) for i in items)
    fee = rng.choice([0, 0, 99, 149, 199, 299])
    cols: dict[str, str] = {"order.amount": money(goods + fee), "problem.kind": kind}
    if fee:
        cols["order.delivery_fee"] = money(fee)
    hour = rng.randint(8, 21)
    cols["order.time"] = f"{hour:02d}:{rng.choice(['05', '15', '20', '40', '55'])}"
    cols["order.payment"] = rng.choice(["картой в приложении", f"картой ****{rng.randint(1000, 9999)}",
                                        "СБП", "картой курьеру при получении", "оплачен баллами и картой"])
    due = ordered + dt.timedelta(days=rng.choice([0, 0, 1, 2]))
    slot = rng.randint(9, 21)
    if due == ordered:  # a slot the same day is one chosen for later that day
        slot = max(slot, min(hour + 1, 22))
    window = f"{slot:02d}:00–{slot + 1:02d}:00"
    same_day = hour if due == ordered else None
    late_by = rng.randint(1, 5)
    demands: list[tuple[str, str, str]] = []  # kind, amount, text
    said = rng.choice(SUPPORT)
    if kind == "late_delivery":
        cols.update({"order.delivery_due": _date(due, rng), "order.delivery_window": window})
        if rng.random() < 0.6:  # delivered hours late
            at = f"{min(slot + 1 + late_by, 23):02d}:{rng.randint(0, 59):02d}"
            cols.update({"order.delivered_on": _date(due, rng), "order.delivered_at": at})
            text = (f"Заказ № {number} обещали привезти {due:%d.%m.%Y} с {window.replace('–', ' до ')}, "
                    f"а привезли только в {at}. {said}")
            demands = [("refund", money(fee), "")] if fee else [("compensation", money(rng.randint(200, 900)), "")]
            if rng.random() < 0.4:
                demands.append(("moral_damages", money(rng.choice([1000, 2000, 3000, 5000])), ""))
        else:  # never delivered
            text = f"Заказ № {number} на {due:%d.%m.%Y} ({window}) так и не привезли, деньги списаны. {said}"
            demands = [("refund", cols["order.amount"], "")]
    elif kind in ("missing_items", "wrong_items", "poor_quality", "expired_goods"):
        delivered = due
        cols.update({"order.delivered_on": _date(delivered, rng), "order.delivered_at": _clock(rng, same_day)})
        bad = items[: rng.randint(1, len(items))]
        for item in bad:
            item["issue"] = kind
            if int(item["quantity"]) > 1 and rng.random() < 0.5:
                item["affected_quantity"] = str(rng.randint(1, int(item["quantity"]) - 1))
        names = ", ".join(i["name"] for i in bad)
        phrases = {"missing_items": f"в заказе не оказалось: {names}",
                   "wrong_items": f"вместо заказанного привезли другие товары ({names})",
                   "poor_quality": f"товары оказались испорчены: {names}",
                   "expired_goods": f"у товаров истёк срок годности: {names}"}
        text = f"{delivered:%d.%m.%Y} при разборе заказа № {number} обнаружилось, что {phrases[kind]}. {said}"
        cols["problem.discovered_on"] = _date(delivered, rng)
        if kind == "wrong_items" and rng.random() < 0.5:
            demands = [("replacement", "", "")]
        else:
            refund = sum(_price(i) * int(i.get("affected_quantity") or i["quantity"]) for i in bad)
            demands = [("refund", money(refund), "")]
        if kind == "expired_goods" and rng.random() < 0.5:
            demands.append(("compensation", money(rng.choice([99, 150, 199, 300])), ""))
    elif kind == "overcharge":
        extra = round(goods * rng.choice([0.05, 0.1, 0.2]), 2) + 1
        cols["order.amount"] = money(goods + fee + extra)
        text = (f"По заказу № {number} с карты списали {money(goods + fee + extra)} руб., хотя сумма в корзине была "
                f"{money(goods + fee)} руб. {said}")
        demands = [("refund", money(extra), "")]
    elif kind == "refund_not_received":
        text = (f"Заказ № {number} отменён {ordered:%d.%m.%Y}, поддержка подтвердила возврат {cols['order.amount']} "
                f"руб., но деньги на карту так и не пришли. {said}")
        demands = [("refund", cols["order.amount"], "")]
    else:  # courier_conduct
        cols.update({"order.delivered_on": _date(due, rng), "order.delivered_at": _clock(rng, same_day)})
        text = (f"Курьер, доставивший заказ № {number}, грубил, бросил пакеты у двери и отказался подняться на этаж. "
                f"{said}")
        demands = [("apology", "", ""), ("moral_damages", money(rng.choice([1000, 2000, 3000])), "")]
        if rng.random() < 0.3:
            demands.append(("other", "", "Провести служебную проверку и сообщить мне её результат"))
    cols["problem.description"] = text.strip()
    for i, item in enumerate(items):
        for key, value in item.items():
            cols[f"order.items.{i}.{key}"] = value
    for i, (d_kind, amount, d_text) in enumerate(demands):
        cols[f"demands.{i}.kind"] = d_kind
        if amount:
            cols[f"demands.{i}.amount"] = amount
        if d_text:
            cols[f"demands.{i}.text"] = d_text
    return cols


def generate_rows(n: int, seed: int = 17) -> list[dict[str, str]]:
    """``n`` valid rows with dotted-key columns; full names unique within the batch."""
    rng = random.Random(seed)
    rows, seen = [], set()
    for i in range(n):
        while True:
            name, gender = person(rng)
            if name not in seen:
                seen.add(name)
                break
        addr, region = address(rng)
        company, brand, aggregator, head = rng.choice(COMPANIES)
        ordered = ON - dt.timedelta(days=rng.randint(3, 80))  # delivery and discovery up to 2 days later
        number = rng.choice([f"R-{rng.randint(10**7, 10**8 - 1)}", f"{rng.randint(10**5, 10**6 - 1)}/2026",
                             f"K-2026-{rng.randint(0, 999999):06d}", f"{rng.randint(10**9, 10**10 - 1)}",
                             f"SM-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"])
        local = translit(name.split()[0])[:12] or "user"
        row = {
            "claimant.full_name": name,
            "claimant.gender": gender if rng.random() < 0.3 else "",
            "claimant.address": addr,
            "claimant.region": region if rng.random() < 0.85 else "",
            "claimant.phone": phone(rng),
            "claimant.email": f"{local}.{i}@{rng.choice(['mail.ru', 'yandex.ru', 'gmail.com', 'example.ru', 'bk.ru'])}",
            "company.name": company,
            "company.brand": brand,
            "company.head_position": head if rng.random() < 0.8 else "",
            **_COMPANY_IDS[company],
            "company.email": f"support@{translit(brand or 'shop')}.ru",
            "company.aggregator": "да" if aggregator else "нет",
            "order.number": number,
            "order.date": _date(ordered, rng),
            **story(rng, number, ordered),
        }
        if aggregator and rng.random() < 0.5:
            row["seller.name"] = rng.choice(SELLERS)
            row["seller.address"] = address(rng)[0]
        if rng.random() < 0.1:
            row["claimant.refund_details"] = f"на карту ****{rng.randint(1000, 9999)}"
        for k, description in enumerate(rng.sample(EVIDENCE, rng.randint(1, 3))):
            row[f"evidence.{k}.description"] = description.format(n=number)
        _submission(rng, row, ordered)
        rows.append(row)
    return rows


def _submission(rng: random.Random, row: dict[str, str], ordered: dt.date) -> None:
    """How the claim goes out; 45 % were already sent (some received), so a registry has deadlines to follow."""
    channel = rng.choices(["app", "email", "post", "website", "office"], weights=[35, 25, 25, 10, 5])[0]
    row["submission.channel"] = channel
    if rng.random() < 0.45:
        found = ordered + dt.timedelta(days=2)
        sent = min(found + dt.timedelta(days=rng.randint(0, 20)), ON)
        row["submission.sent_on"] = _date(sent, rng)
        if channel == "post":
            row["submission.reference"] = f"{rng.randint(10**13, 10**14 - 1)}"
            if rng.random() < 0.7:
                row["submission.received_on"] = _date(min(sent + dt.timedelta(days=rng.randint(3, 9)), ON), rng)
        elif rng.random() < 0.5:
            row["submission.reference"] = f"{rng.randint(100000, 999999)}"


def write_csv(rows: list[dict[str, str]], path: Path) -> Path:
    """Semicolon-separated UTF-8, the union of the rows' columns (as a spreadsheet exports it)."""
    columns = list(dict.fromkeys(k for r in rows for k in r))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, delimiter=";", restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def variety(rows: list[dict[str, str]]) -> str:
    """A line saying how varied the rows are (printed with the results)."""
    def distinct(key: str) -> int:
        return len({r.get(key, "") for r in rows})

    surnames = len({r["claimant.full_name"].split()[0] for r in rows})
    kinds = len({r["problem.kind"] for r in rows})
    return (f"{len(rows)} rows: {distinct('claimant.full_name')} distinct names, {surnames} distinct surnames, "
            f"{distinct('claimant.address')} addresses, {distinct('company.name')} companies, {kinds} problem kinds")
