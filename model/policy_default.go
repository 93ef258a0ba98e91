package model

// DefaultPolicy is the built-in policy. Its category keys are the ones import
// files use. Operators replace it with --policy; `triage policy` prints it as
// TOML to start from.
func DefaultPolicy() *Policy {
	ok := func(code, label string) Reason {
		return Reason{Code: code, Label: label, LegalBasis: "No violation found."}
	}
	bad := func(code, label, basis string) Reason {
		return Reason{Code: code, Label: label, LegalBasis: basis, Violation: true}
	}
	return &Policy{
		Categories: []Category{
			{Key: "recruitment", Label: "Recruitment for foreign armed conflict", Target: Days(1), Sensitive: true, Reasons: []Reason{
				bad("REC-AD", "Recruitment advertisement", "Criminal law on mercenarism: recruiting citizens to take part in armed conflicts abroad."),
				bad("REC-PAY", "Offer of payment for combat service", "Criminal law on mercenarism: material reward for participation in foreign armed conflict."),
				bad("REC-LOG", "Travel or logistics for joining", "Criminal law on mercenarism: assisting travel to a zone of armed conflict."),
				bad("REC-GLO", "Glorification with a call to join", "Law on countering extremism: propaganda of participation in foreign armed conflict."),
				ok("REC-NEWS", "News or reporting about recruitment"),
				ok("REC-NONE", "Not recruitment"),
			}},
			{Key: "disinformation", Label: "Disinformation", Target: Days(2), Reasons: []Reason{
				bad("DIS-FAKE", "Knowingly false information", "Law on mass media: dissemination of knowingly false information."),
				bad("DIS-PANIC", "False emergency or panic", "Administrative code: false information creating a threat to public order."),
				bad("DIS-COORD", "Coordinated inauthentic campaign", "Platform rules on coordinated inauthentic behaviour."),
				ok("DIS-OPIN", "Opinion or satire"),
				ok("DIS-NONE", "Accurate or unverifiable but not false"),
			}},
			{Key: "extremism", Label: "Violent extremism", Target: Days(1), Sensitive: true, Reasons: []Reason{
				bad("EXT-CALL", "Call to violence", "Law on countering extremism: public calls to violent acts."),
				bad("EXT-PROP", "Propaganda of a banned organisation", "Law on countering extremism: materials of organisations banned by court."),
				bad("EXT-HATE", "Incitement of ethnic or religious hatred", "Criminal law: incitement of social, ethnic or religious discord."),
				ok("EXT-NEWS", "News, research or counter-speech"),
				ok("EXT-NONE", "Not extremist"),
			}},
			{Key: "fraud", Label: "Fraud and scams", Target: Days(3), Reasons: []Reason{
				bad("FRD-INV", "Investment or crypto scam", "Criminal law on fraud: obtaining property by deception."),
				bad("FRD-PHISH", "Phishing or account theft", "Criminal law: unlawful access to information; fraud."),
				bad("FRD-FAKEGOV", "Impersonation of a state body or bank", "Criminal law on fraud; law on personal data."),
				ok("FRD-LEGIT", "Legitimate offer"),
				ok("FRD-NONE", "Not fraud"),
			}},
			{Key: "drugs", Label: "Drug sales", Target: Days(2), Sensitive: true, Reasons: []Reason{
				bad("DRG-SALE", "Sale of narcotics", "Criminal law: illegal trafficking of narcotic drugs."),
				bad("DRG-COUR", "Recruitment of couriers (\"zakladchiki\")", "Criminal law: involvement in drug trafficking."),
				bad("DRG-PROP", "Propaganda of drug use", "Law on narcotic drugs: prohibition of propaganda."),
				ok("DRG-HARM", "Harm reduction or health information"),
				ok("DRG-NONE", "Not about drugs"),
			}},
			{Key: "gambling", Label: "Illegal gambling", Target: Days(7), Reasons: []Reason{
				bad("GMB-CASINO", "Unlicensed online casino", "Law on gambling: only licensed operators may advertise."),
				bad("GMB-BET", "Unlicensed betting", "Law on gambling: unlicensed bookmaking."),
				bad("GMB-ADV", "Gambling advertising aimed at minors", "Law on advertising: gambling advertising restrictions."),
				ok("GMB-LIC", "Licensed operator"),
				ok("GMB-NONE", "Not gambling"),
			}},
			{Key: "other", Label: "Other", Target: Days(7), Reasons: []Reason{
				bad("OTH-ILLEGAL", "Other illegal content", "Applicable law, named in the note."),
				bad("OTH-PRIV", "Personal data disclosed without consent", "Law on personal data and its protection."),
				bad("OTH-TOS", "Platform terms of service", "The platform's own rules."),
				ok("OTH-NONE", "No violation"),
			}},
		},
		Escalation: []Reason{
			{Code: "ESC-LEGAL", Label: "Legal referral (law enforcement)"},
			{Code: "ESC-POLICY", Label: "Policy unclear"},
			{Code: "ESC-LANG", Label: "Needs a language expert"},
			{Code: "ESC-HARM", Label: "Imminent harm"},
			{Code: "ESC-CAMP", Label: "Part of a wider campaign"},
		},
	}
}
