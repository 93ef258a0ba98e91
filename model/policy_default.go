package model

// DefaultPolicy is the built-in policy. Its category keys are the ones import
// files use. Operators replace it with --policy; `triage policy` prints it as
// TOML to start from.
func DefaultPolicy() *Policy {
	ok := func(code string, label Text) Reason {
		return Reason{Code: code, Label: label, LegalBasis: "No violation found."}
	}
	bad := func(code string, label Text, basis string) Reason {
		return Reason{Code: code, Label: label, LegalBasis: basis, Violation: true}
	}
	// Four eyes: the rejections that cite a criminal law.
	four := func(r Reason) Reason { r.SecondReview = true; return r }
	return &Policy{
		Categories: []Category{
			{Key: "recruitment", Label: L("Recruitment for foreign armed conflict", "Вербовка для участия в вооружённом конфликте за рубежом", "Шетелдегі қарулы қақтығысқа тарту"), Target: Days(1), QASample: 0.05, Sensitive: true, Reasons: []Reason{
				four(bad("REC-AD", L("Recruitment advertisement", "Объявление о вербовке", "Жалдау туралы хабарландыру"), "Criminal law on mercenarism: recruiting citizens to take part in armed conflicts abroad.")),
				four(bad("REC-PAY", L("Offer of payment for combat service", "Предложение оплаты за участие в боевых действиях", "Соғыс қимылдарына қатысқаны үшін ақы ұсыну"), "Criminal law on mercenarism: material reward for participation in foreign armed conflict.")),
				four(bad("REC-LOG", L("Travel or logistics for joining", "Помощь с поездкой или логистикой для вступления", "Қосылу үшін сапар немесе логистика"), "Criminal law on mercenarism: assisting travel to a zone of armed conflict.")),
				bad("REC-GLO", L("Glorification with a call to join", "Прославление с призывом вступить", "Қосылуға шақыратын дәріптеу"), "Law on countering extremism: propaganda of participation in foreign armed conflict."),
				ok("REC-NEWS", L("News or reporting about recruitment", "Новости или репортаж о вербовке", "Жалдау туралы жаңалық немесе репортаж")),
				ok("REC-NONE", L("Not recruitment", "Не вербовка", "Жалдау емес")),
			}},
			{Key: "disinformation", Label: L("Disinformation", "Дезинформация", "Жалған ақпарат"), Target: Days(2), QASample: 0.05, Reasons: []Reason{
				bad("DIS-FAKE", L("Knowingly false information", "Заведомо ложная информация", "Көрінеу жалған ақпарат"), "Law on mass media: dissemination of knowingly false information."),
				bad("DIS-PANIC", L("False emergency or panic", "Ложное сообщение о ЧС или панике", "Төтенше жағдай немесе дүрбелең туралы жалған хабар"), "Administrative code: false information creating a threat to public order."),
				bad("DIS-COORD", L("Coordinated inauthentic campaign", "Скоординированная неаутентичная кампания", "Үйлестірілген жасанды науқан"), "Platform rules on coordinated inauthentic behaviour."),
				ok("DIS-OPIN", L("Opinion or satire", "Мнение или сатира", "Пікір немесе сатира")),
				ok("DIS-NONE", L("Accurate or unverifiable but not false", "Верно или непроверяемо, но не ложно", "Дұрыс немесе тексерілмейді, бірақ жалған емес")),
			}},
			{Key: "extremism", Label: L("Violent extremism", "Насильственный экстремизм", "Зорлық-зомбылық экстремизмі"), Target: Days(1), QASample: 0.05, Sensitive: true, Reasons: []Reason{
				bad("EXT-CALL", L("Call to violence", "Призыв к насилию", "Зорлық-зомбылыққа шақыру"), "Law on countering extremism: public calls to violent acts."),
				bad("EXT-PROP", L("Propaganda of a banned organisation", "Пропаганда запрещённой организации", "Тыйым салынған ұйымның насихаты"), "Law on countering extremism: materials of organisations banned by court."),
				four(bad("EXT-HATE", L("Incitement of ethnic or religious hatred", "Разжигание национальной или религиозной розни", "Ұлттық немесе діни араздықты қоздыру"), "Criminal law: incitement of social, ethnic or religious discord.")),
				ok("EXT-NEWS", L("News, research or counter-speech", "Новости, исследование или контрречь", "Жаңалық, зерттеу немесе қарсы уәж")),
				ok("EXT-NONE", L("Not extremist", "Не экстремизм", "Экстремизм емес")),
			}},
			{Key: "fraud", Label: L("Fraud and scams", "Мошенничество", "Алаяқтық"), Target: Days(3), QASample: 0.05, Reasons: []Reason{
				bad("FRD-INV", L("Investment or crypto scam", "Инвестиционное или криптомошенничество", "Инвестициялық немесе крипто алаяқтық"), "Criminal law on fraud: obtaining property by deception."),
				bad("FRD-PHISH", L("Phishing or account theft", "Фишинг или кража аккаунта", "Фишинг немесе аккаунтты ұрлау"), "Criminal law: unlawful access to information; fraud."),
				bad("FRD-FAKEGOV", L("Impersonation of a state body or bank", "Выдача себя за госорган или банк", "Мемлекеттік орган немесе банк атын жамылу"), "Criminal law on fraud; law on personal data."),
				ok("FRD-LEGIT", L("Legitimate offer", "Законное предложение", "Заңды ұсыныс")),
				ok("FRD-NONE", L("Not fraud", "Не мошенничество", "Алаяқтық емес")),
			}},
			{Key: "drugs", Label: L("Drug sales", "Продажа наркотиков", "Есірткі сату"), Target: Days(2), QASample: 0.05, Sensitive: true, Reasons: []Reason{
				bad("DRG-SALE", L("Sale of narcotics", "Сбыт наркотических средств", "Есірткі құралдарын өткізу"), "Criminal law: illegal trafficking of narcotic drugs."),
				bad("DRG-COUR", L("Recruitment of couriers (\"zakladchiki\")", "Вербовка курьеров («закладчиков»)", "Курьерлерді («закладчиктерді») жалдау"), "Criminal law: involvement in drug trafficking."),
				bad("DRG-PROP", L("Propaganda of drug use", "Пропаганда употребления наркотиков", "Есірткі тұтынуды насихаттау"), "Law on narcotic drugs: prohibition of propaganda."),
				ok("DRG-HARM", L("Harm reduction or health information", "Снижение вреда или информация о здоровье", "Зиянды азайту немесе денсаулық туралы ақпарат")),
				ok("DRG-NONE", L("Not about drugs", "Не о наркотиках", "Есірткі туралы емес")),
			}},
			{Key: "gambling", Label: L("Illegal gambling", "Незаконные азартные игры", "Заңсыз құмар ойындар"), Target: Days(7), QASample: 0.05, Reasons: []Reason{
				bad("GMB-CASINO", L("Unlicensed online casino", "Нелицензированное онлайн-казино", "Лицензиясыз онлайн-казино"), "Law on gambling: only licensed operators may advertise."),
				bad("GMB-BET", L("Unlicensed betting", "Нелицензированные ставки", "Лицензиясыз бәс тігу"), "Law on gambling: unlicensed bookmaking."),
				bad("GMB-ADV", L("Gambling advertising aimed at minors", "Реклама азартных игр для несовершеннолетних", "Кәмелетке толмағандарға арналған құмар ойын жарнамасы"), "Law on advertising: gambling advertising restrictions."),
				ok("GMB-LIC", L("Licensed operator", "Лицензированный оператор", "Лицензиясы бар оператор")),
				ok("GMB-NONE", L("Not gambling", "Не азартные игры", "Құмар ойын емес")),
			}},
			{Key: "other", Label: L("Other", "Другое", "Басқа"), Target: Days(7), QASample: 0.05, Reasons: []Reason{
				bad("OTH-ILLEGAL", L("Other illegal content", "Иной незаконный контент", "Басқа заңсыз контент"), "Applicable law, named in the note."),
				bad("OTH-PRIV", L("Personal data disclosed without consent", "Раскрытие персональных данных без согласия", "Дербес деректерді келісімсіз жария ету"), "Law on personal data and its protection."),
				bad("OTH-TOS", L("Platform terms of service", "Правила платформы", "Платформа ережелері"), "The platform's own rules."),
				ok("OTH-NONE", L("No violation", "Нарушений нет", "Бұзушылық жоқ")),
			}},
		},
		Care:   Care{BreakAfterReveals: 40, BreakAfter: Minutes(90), BreakLength: Minutes(15)},
		Limits: Limits{ConsolesPerReviewer: 3, PostsPerReviewer: DefaultPostsPerReviewer},
		Escalation: []Reason{
			{Code: "ESC-LEGAL", Label: L("Legal referral (law enforcement)", "Передача в правоохранительные органы", "Құқық қорғау органдарына жіберу")},
			{Code: "ESC-POLICY", Label: L("Policy unclear", "Правила неясны", "Ереже түсініксіз")},
			{Code: "ESC-LANG", Label: L("Needs a language expert", "Нужен эксперт по языку", "Тіл маманы керек")},
			{Code: "ESC-HARM", Label: L("Imminent harm", "Непосредственная угроза вреда", "Таяу арадағы зиян қаупі")},
			{Code: "ESC-CAMP", Label: L("Part of a wider campaign", "Часть более широкой кампании", "Кеңірек науқанның бөлігі")},
		},
	}
}

// L is a built-in label in English, Russian and Kazakh.
func L(en, ru, kk string) Text {
	return Text{Default: en, ByLang: map[string]string{"en": en, "ru": ru, "kk": kk}}
}
