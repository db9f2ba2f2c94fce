package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/tables"
)

func TestConvertUnits(t *testing.T) {
	cases := []struct {
		fn, from, to string
		in, want     float64
	}{
		{"convert_angle", "Degree", "Arcminute", 1.2, 72},
		{"convert_angle", "Revolution", "Radian", 1, 6.283185307179586},
		{"convert_angle", "Degree", "Tilt", 90, 1},
		{"convert_energy", "Joule", "BritishThermalUnit", 1.2, 0.00113738054437598},
		{"convert_energy", "KilowattHour", "Megajoule", 1, 3.6},
		{"convert_force", "Newton", "Decanewton", 1.2, 0.12},
		{"convert_length", "Meter", "Foot", 1.2, 3.93700787401575},
		{"convert_length", "mile", "KILOMETER", 1, 1.609344},
		{"convert_mass", "Kilogram", "Pound", 1.2, 2.64554714621853},
		{"convert_speed", "MeterPerSecond", "CentimeterPerHour", 1.2, 432000},
		{"convert_speed", "Knot", "KilometerPerHour", 1, 1.852},
		{"convert_temperature", "Kelvin", "DegreeCelsius", 1.2, -271.95},
		{"convert_temperature", "DegreeFahrenheit", "DegreeCelsius", 212, 100},
		{"convert_temperature", "DegreeCelsius", "DegreeRoemer", 100, 60},
		{"convert_volume", "CubicMeter", "AcreFoot", 1.2, 0.0009728568},
		{"convert_volume", "UsGallon", "Liter", 1, 3.785411784},
	}
	for _, c := range cases {
		got := call(t, c.fn, R(c.in), S(c.from), S(c.to))
		require.Equal(t, tables.Real, got.Type())
		assert.InEpsilon(t, c.want, got.Float(), 1e-9, "%s(%v, %s, %s)", c.fn, c.in, c.from, c.to)
	}
	assert.Equal(t, N(tables.Real), call(t, "convert_length", R(1), S("Meter"), S("Furlong")))
	assert.Equal(t, N(tables.Real), call(t, "convert_temperature", R(1), S("Kelvin"), S("Hot")))
	assert.Equal(t, N(tables.Real), call(t, "convert_mass", N(tables.Real), S("Gram"), S("Gram")))
}
