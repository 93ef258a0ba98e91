package tui

import "charm.land/lipgloss/v2"

// Styles is every style the console uses, built for one client's background.
// Colours are downsampled to the client's profile by Bubble Tea's renderer.
type Styles struct {
	Header, HeaderDim, Tab, TabActive lipgloss.Style
	RowSelected, RowSaving            lipgloss.Style
	Dim, Label, Value, Warn, Error    lipgloss.Style
	OK, Placeholder, Rule, HintKey    lipgloss.Style
	Picker, PickerTitle, PickerSel    lipgloss.Style
	dark                              bool   // what they were made for: a drawing kept for reuse is keyed on it
	theme                             string // the theme chosen ("" follows the background)
	background                        bool   // the terminal's background is dark (as detected)
}

// NewTheme builds the styles of a reviewer's theme: dark, light or
// high-contrast, or "" to follow the terminal's background (dark tells
// which). Colours are downsampled to the client's profile, and NO_COLOR
// in the client's environment leaves none at all.
func NewTheme(theme string, dark bool) Styles {
	var s Styles
	switch theme {
	case "dark":
		s = NewStyles(true)
	case "light":
		s = NewStyles(false)
	case "high-contrast":
		s = highContrast(dark)
	default:
		s = NewStyles(dark)
	}
	s.theme, s.background = theme, dark
	return s
}

// highContrast is black and white with one strong accent, bold where the
// other themes use a shade: for low vision and for bright rooms.
func highContrast(dark bool) Styles {
	fg, bg := lipgloss.Color("#000000"), lipgloss.Color("#FFFFFF")
	if dark {
		fg, bg = bg, fg
	}
	accent := lipgloss.Color("#FFFF00")
	red := lipgloss.Color("#FF5555")
	if !dark {
		accent, red = lipgloss.Color("#0000CC"), lipgloss.Color("#CC0000")
	}
	plain := lipgloss.NewStyle().Foreground(fg)
	return Styles{
		dark:        dark,
		Header:      lipgloss.NewStyle().Bold(true).Foreground(accent),
		HeaderDim:   plain,
		Tab:         plain,
		TabActive:   lipgloss.NewStyle().Bold(true).Underline(true).Foreground(accent),
		RowSelected: lipgloss.NewStyle().Reverse(true).Bold(true),
		RowSaving:   plain.Italic(true),
		Dim:         plain,
		Label:       plain.Bold(true),
		Value:       plain,
		Warn:        lipgloss.NewStyle().Foreground(accent).Bold(true),
		Error:       lipgloss.NewStyle().Foreground(red).Bold(true).Underline(true),
		OK:          plain.Bold(true),
		Placeholder: lipgloss.NewStyle().Reverse(true),
		Rule:        plain,
		HintKey:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		Picker:      lipgloss.NewStyle().Border(lipgloss.ThickBorder()).BorderForeground(fg).Padding(0, 1).Background(bg),
		PickerTitle: lipgloss.NewStyle().Bold(true).Foreground(accent),
		PickerSel:   lipgloss.NewStyle().Reverse(true).Bold(true),
	}
}

// NewStyles builds the styles for a dark or light background.
func NewStyles(dark bool) Styles {
	ld := lipgloss.LightDark(dark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B7A6FF"))
	dim := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#8A8A8A"))
	selBg := ld(lipgloss.Color("#E4DEFF"), lipgloss.Color("#3B3363"))
	red := ld(lipgloss.Color("#B00020"), lipgloss.Color("#FF6B7A"))
	amber := ld(lipgloss.Color("#8A5A00"), lipgloss.Color("#FFC857"))
	green := ld(lipgloss.Color("#1B7F3B"), lipgloss.Color("#7BE495"))
	return Styles{
		dark:        dark,
		Header:      lipgloss.NewStyle().Bold(true).Foreground(accent),
		HeaderDim:   lipgloss.NewStyle().Foreground(dim),
		Tab:         lipgloss.NewStyle().Foreground(dim),
		TabActive:   lipgloss.NewStyle().Bold(true).Underline(true).Foreground(accent),
		RowSelected: lipgloss.NewStyle().Background(selBg).Bold(true),
		RowSaving:   lipgloss.NewStyle().Foreground(dim).Italic(true),
		Dim:         lipgloss.NewStyle().Foreground(dim),
		Label:       lipgloss.NewStyle().Foreground(dim),
		Value:       lipgloss.NewStyle(),
		Warn:        lipgloss.NewStyle().Foreground(amber).Bold(true),
		Error:       lipgloss.NewStyle().Foreground(red).Bold(true),
		OK:          lipgloss.NewStyle().Foreground(green),
		Placeholder: lipgloss.NewStyle().Foreground(amber),
		Rule:        lipgloss.NewStyle().Foreground(dim),
		HintKey:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		Picker:      lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		PickerTitle: lipgloss.NewStyle().Bold(true).Foreground(accent),
		PickerSel:   lipgloss.NewStyle().Background(selBg).Bold(true),
	}
}
