package agreement

// Crockford base32: digits and capitals without I, L, O, U, so that a number copied by hand
// onto an invoice survives the usual misreadings.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// groupLen is the number of characters between dashes: five is easy to read and re-type.
const groupLen = 5

// invalid marks a byte outside the alphabet in decodeMap.
const invalid = 0xFF

// decodeMap gives each accepted character's 5-bit value: case-insensitive, O read as 0,
// I and L read as 1.
var decodeMap = func() (m [256]byte) {
	for i := range m {
		m[i] = invalid
	}
	for i := 0; i < len(alphabet); i++ {
		c := alphabet[i]
		m[c] = byte(i)
		if c >= 'A' && c <= 'Z' {
			m[c+'a'-'A'] = byte(i)
		}
	}
	for _, c := range "Oo" {
		m[c] = 0
	}
	for _, c := range "IiLl" {
		m[c] = 1
	}
	return m
}()

// encode writes b in base32, most significant bits first, in dash-separated groups.
func encode(b []byte) string {
	n := (len(b)*8 + 4) / 5
	out := make([]byte, 0, n+n/groupLen)
	var acc uint32
	bits, written := 0, 0
	put := func(v uint32) {
		if written > 0 && written%groupLen == 0 {
			out = append(out, '-')
		}
		out = append(out, alphabet[v&31])
		written++
	}
	for _, x := range b {
		acc = acc<<8 | uint32(x)
		bits += 8
		for bits >= 5 {
			bits -= 5
			put(acc >> bits)
		}
	}
	if bits > 0 {
		put(acc << (5 - bits)) // pad with zero bits
	}
	return string(out)
}

// decode reads what encode writes, ignoring dashes. It accepts only the canonical length
// for the number of bytes and zero padding bits, so that two spellings never give the
// same bytes (apart from case and the O/I/L aliases).
func decode(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s)*5/8)
	var acc uint32
	bits, chars := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' {
			continue
		}
		v := decodeMap[c]
		if v == invalid {
			return nil, false
		}
		chars++
		acc = acc<<5 | uint32(v)
		bits += 5
		if bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
		}
	}
	if chars != (len(out)*8+4)/5 || acc&(1<<bits-1) != 0 {
		return nil, false
	}
	return out, true
}
