package functions

import (
	"math"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// The convert_* functions: each family's units with their size in the
// family's base unit (metre, kilogram, joule, newton, metre per second,
// cubic metre, degree), using the definitions of the units library Kusto
// names its units after. Unit names match case-insensitively; an unknown
// unit gives null. Temperature and the angle unit Tilt are not linear and
// are handled apart.

var lengthUnits = map[string]float64{
	"angstrom": 1e-10, "astronomicalunit": 1.4959787070e11, "centimeter": 1e-2, "chain": 20.1168,
	"datamile": 1828.8, "decameter": 10, "decimeter": 0.1, "dtppica": 1 / 236.220472441,
	"dtppoint": 1 / 2834.64566929, "fathom": 1.8288, "foot": 0.3048, "hand": 0.1016,
	"hectometer": 100, "inch": 0.0254, "kilolightyear": 9.46073047258e18, "kilometer": 1e3,
	"kiloparsec": 3.08567758128e19, "lightyear": 9.46073047258e15,
	"megalightyear": 9.46073047258e21, "megaparsec": 3.08567758128e22, "meter": 1,
	"microinch": 2.54e-8, "micrometer": 1e-6, "mil": 2.54e-5, "mile": 1609.344,
	"millimeter": 1e-3, "nanometer": 1e-9, "nauticalmile": 1852, "parsec": 3.08567758128e16,
	"printerpica": 1 / 237.106301584, "printerpoint": 0.0254 / 72.27, "shackle": 27.432,
	"solarradius": 6.95510e8, "twip": 0.0254 / 1440, "ussurveyfoot": 1200.0 / 3937, "yard": 0.9144,
}

var massUnits = map[string]float64{
	"centigram": 1e-5, "decagram": 1e-2, "decigram": 1e-4, "earthmass": 5.9722e24,
	"grain": 64.79891e-6, "gram": 1e-3, "hectogram": 0.1, "kilogram": 1, "kilopound": 453.59237,
	"kilotonne": 1e6, "longhundredweight": 50.80234544, "longton": 1016.0469088,
	"megapound": 453592.37, "megatonne": 1e9, "microgram": 1e-9, "milligram": 1e-6,
	"nanogram": 1e-12, "ounce": 0.028349523125, "pound": 0.45359237,
	"shorthundredweight": 45.359237, "shortton": 907.18474, "slug": 14.593902937206364,
	"solarmass": 1.98947e30, "stone": 6.35029318, "tonne": 1000,
}

const btu = 1055.05585262

var energyUnits = map[string]float64{
	"britishthermalunit": btu, "calorie": 4.184, "decathermec": 1.05505585262e9,
	"decathermimperial": 1.05505585257348e9, "decathermus": 1.054804e9,
	"electronvolt": 1.602176565e-19, "erg": 1e-7, "footpound": 1.355817948,
	"gigabritishthermalunit": btu * 1e9, "gigaelectronvolt": 1.602176565e-10, "gigajoule": 1e9,
	"gigawattday": 8.64e13, "gigawatthour": 3.6e12, "horsepowerhour": 2.6845195377e6, "joule": 1,
	"kilobritishthermalunit": btu * 1e3, "kilocalorie": 4184, "kiloelectronvolt": 1.602176565e-16,
	"kilojoule": 1e3, "kilowattday": 8.64e7, "kilowatthour": 3.6e6,
	"megabritishthermalunit": btu * 1e6, "megacalorie": 4.184e6,
	"megaelectronvolt": 1.602176565e-13, "megajoule": 1e6, "megawattday": 8.64e10,
	"megawatthour": 3.6e9, "millijoule": 1e-3, "teraelectronvolt": 1.602176565e-7,
	"terawattday": 8.64e16, "terawatthour": 3.6e15, "thermec": 1.05505585262e8,
	"thermimperial": 1.05505585257348e8, "thermus": 1.054804e8, "wattday": 86400, "watthour": 3600,
}

var forceUnits = map[string]float64{
	"decanewton": 10, "dyn": 1e-5, "kilogramforce": 9.80665, "kilonewton": 1e3, "kilopond": 9.80665,
	"kilopoundforce": 4448.2216152605, "meganewton": 1e6, "micronewton": 1e-6,
	"millinewton": 1e-3, "newton": 1, "ounceforce": 0.278013850953781, "poundal": 0.138254954376,
	"poundforce": 4.4482216152605, "shorttonforce": 8896.443230521, "tonneforce": 9806.65,
}

var speedUnits = func() map[string]float64 {
	m := map[string]float64{"knot": 1852.0 / 3600, "mileperhour": 1609.344 / 3600}
	lengths := map[string]float64{
		"centimeter": 1e-2, "decimeter": 0.1, "foot": 0.3048, "inch": 0.0254, "kilometer": 1e3,
		"meter": 1, "micrometer": 1e-6, "millimeter": 1e-3, "nanometer": 1e-9,
		"ussurveyfoot": 1200.0 / 3937, "yard": 0.9144,
	}
	for name, size := range lengths {
		m[name+"persecond"] = size
		m[name+"perminute"] = size / 60
		m[name+"perhour"] = size / 3600
	}
	return m
}()

const usGallon = 3.785411784e-3

var volumeUnits = map[string]float64{
	"acrefoot": 1 / 0.000810714, "autablespoon": 2e-5, "boardfoot": 2.3597372158e-3,
	"centiliter": 1e-5, "cubiccentimeter": 1e-6, "cubicdecimeter": 1e-3,
	"cubicfoot": 0.028316846592, "cubichectometer": 1e6, "cubicinch": 1.6387064e-5,
	"cubickilometer": 1e9, "cubicmeter": 1, "cubicmicrometer": 1e-18,
	"cubicmile": 4.168181825440579584e9, "cubicmillimeter": 1e-9, "cubicyard": 0.764554857984,
	"decaliter": 1e-2, "decausgallon": 10 * usGallon, "deciliter": 1e-4,
	"deciusgallon": 0.1 * usGallon, "hectocubicfoot": 2.8316846592, "hectocubicmeter": 100,
	"hectoliter": 0.1, "hectousgallon": 100 * usGallon, "imperialbeerbarrel": 0.16365924,
	"imperialgallon": 4.54609e-3, "imperialounce": 2.8413062499962901e-5,
	"imperialpint": 5.6826125e-4, "kilocubicfoot": 28.316846592, "kilocubicmeter": 1000,
	"kiloimperialgallon": 4.54609, "kiloliter": 1, "kilousgallon": 1000 * usGallon,
	"liter": 1e-3, "megacubicfoot": 28316.846592, "megaimperialgallon": 4546.09,
	"megaliter": 1000, "megausgallon": 1e6 * usGallon, "metriccup": 2.5e-4,
	"metricteaspoon": 0.5e-5, "microliter": 1e-9, "milliliter": 1e-6,
	"oilbarrel": 0.158987294928, "uktablespoon": 1.5e-5, "usbeerbarrel": 0.1173477658,
	"uscustomarycup": 2.365882365e-4, "usgallon": usGallon, "uslegalcup": 2.4e-4,
	"usounce": 2.9573529562537605e-5, "uspint": 4.73176473e-4, "usquart": 9.46352946e-4,
	"ustablespoon": 1.478676478125e-5, "usteaspoon": 4.92892159375e-6,
}

const degPerRad = 180 / math.Pi

var angleUnits = map[string]float64{
	"arcminute": 1.0 / 60, "arcsecond": 1.0 / 3600, "centiradian": 0.01 * degPerRad,
	"deciradian": 0.1 * degPerRad, "degree": 1, "gradian": 0.9, "microdegree": 1e-6,
	"microradian": 1e-6 * degPerRad, "millidegree": 1e-3, "milliradian": 1e-3 * degPerRad,
	"nanodegree": 1e-9, "nanoradian": 1e-9 * degPerRad, "natomil": 360.0 / 6400,
	"radian": degPerRad, "revolution": 360,
}

func init() {
	linear := []struct {
		name, what string
		units      map[string]float64
	}{
		{"convert_length", "length", lengthUnits},
		{"convert_mass", "mass", massUnits},
		{"convert_energy", "energy", energyUnits},
		{"convert_force", "force", forceUnits},
		{"convert_speed", "speed", speedUnits},
		{"convert_volume", "volume", volumeUnits},
	}
	for _, l := range linear {
		scalar(l.name, unitParams(), Fixed(tables.Real),
			"Converts a "+l.what+" from one unit to another; null for an unknown unit.",
			linearConvert(l.units))
	}
	scalar("convert_angle", unitParams(), Fixed(tables.Real),
		"Converts an angle from one unit to another (Tilt is the sine); null for an unknown unit.",
		convertAngle)
	scalar("convert_temperature", unitParams(), Fixed(tables.Real),
		"Converts a temperature from one unit to another; null for an unknown unit.",
		convertTemperature)
}

func unitParams() []Param {
	return params(req("value", Numeric), req("from", AnyType), req("to", AnyType))
}

// linearConvert converts through the family's base unit.
func linearConvert(units map[string]float64) Impl {
	return func(a []tables.Value) tables.Value {
		x, ok := toF(a[0])
		from, ok1 := units[unitName(a[1])]
		to, ok2 := units[unitName(a[2])]
		if !ok || !ok1 || !ok2 {
			return tables.Null(tables.Real)
		}
		return tables.NewReal(x * from / to)
	}
}

func unitName(v tables.Value) string { return strings.ToLower(strings.TrimSpace(str(v))) }

func convertAngle(a []tables.Value) tables.Value {
	x, ok := toF(a[0])
	from, to := unitName(a[1]), unitName(a[2])
	if !ok {
		return tables.Null(tables.Real)
	}
	var deg float64
	if from == "tilt" {
		deg = math.Asin(x) * degPerRad
	} else if f, ok := angleUnits[from]; ok {
		deg = x * f
	} else {
		return tables.Null(tables.Real)
	}
	if to == "tilt" {
		return tables.NewReal(math.Sin(deg / degPerRad))
	}
	if f, ok := angleUnits[to]; ok {
		return tables.NewReal(deg / f)
	}
	return tables.Null(tables.Real)
}

// kelvinFrom and kelvinTo convert each temperature unit to and from kelvin.
var kelvinFrom = map[string]func(float64) float64{
	"kelvin":             func(x float64) float64 { return x },
	"degreecelsius":      func(x float64) float64 { return x + 273.15 },
	"millidegreecelsius": func(x float64) float64 { return x/1000 + 273.15 },
	"degreefahrenheit":   func(x float64) float64 { return (x + 459.67) * 5 / 9 },
	"degreerankine":      func(x float64) float64 { return x * 5 / 9 },
	"degreedelisle":      func(x float64) float64 { return 373.15 - x*2/3 },
	"degreenewton":       func(x float64) float64 { return x*100/33 + 273.15 },
	"degreereaumur":      func(x float64) float64 { return x*5/4 + 273.15 },
	"degreeroemer":       func(x float64) float64 { return (x-7.5)*40/21 + 273.15 },
	"solartemperature":   func(x float64) float64 { return x * 5778 },
}

var kelvinTo = map[string]func(float64) float64{
	"kelvin":             func(k float64) float64 { return k },
	"degreecelsius":      func(k float64) float64 { return k - 273.15 },
	"millidegreecelsius": func(k float64) float64 { return (k - 273.15) * 1000 },
	"degreefahrenheit":   func(k float64) float64 { return k*9/5 - 459.67 },
	"degreerankine":      func(k float64) float64 { return k * 9 / 5 },
	"degreedelisle":      func(k float64) float64 { return (373.15 - k) * 3 / 2 },
	"degreenewton":       func(k float64) float64 { return (k - 273.15) * 33 / 100 },
	"degreereaumur":      func(k float64) float64 { return (k - 273.15) * 4 / 5 },
	"degreeroemer":       func(k float64) float64 { return (k-273.15)*21/40 + 7.5 },
	"solartemperature":   func(k float64) float64 { return k / 5778 },
}

func convertTemperature(a []tables.Value) tables.Value {
	x, ok := toF(a[0])
	from, ok1 := kelvinFrom[unitName(a[1])]
	to, ok2 := kelvinTo[unitName(a[2])]
	if !ok || !ok1 || !ok2 {
		return tables.Null(tables.Real)
	}
	return tables.NewReal(to(from(x)))
}
