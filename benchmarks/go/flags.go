package retention

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The benchmark's parameters, as the C binary's flags give them
// (slicebench-retention --help): the same names, defaults and rules.

// Config is what a run measures.
type Config struct {
	Sizes      []int      // N values, bytes
	Kept       []KeptRule // k rules
	Elems      []int      // element sizes: 1, 8 or 24
	Strategies []Strategy
	Budget     uint64 // bytes the worst strategy of a case may use: chooses M
	Items      int    // M for every case, or 0: from the budget
	MaxItems   int    // the most M the budget may choose
}

// KeptRule chooses k for N: a fixed size, or N divided by Divisor.
type KeptRule struct {
	Bytes, Divisor int
	Text           string // as written: "16", "N/8"
}

// K is the rule's k for n (0 when N/d is below one byte).
func (r KeptRule) K(n int) int {
	if r.Bytes > 0 {
		return r.Bytes
	}
	return n / r.Divisor
}

// The defaults, the C binary's; Quick* are its --quick sweep.
const (
	DefaultSizes    = "64,512,4KiB,32KiB,128KiB,1MiB,4MiB,16MiB"
	DefaultKept     = "16,N/8,N/2"
	DefaultElems    = "1,8"
	DefaultBudget   = "512MiB"
	DefaultMaxItems = 16384
	QuickSizes      = "64,4KiB,64KiB,1MiB"
	QuickKept       = "16,N/2"
	QuickElems      = "1"
	QuickBudget     = "64MiB"
	QuickMaxItems   = 1024
	itemsLimit      = 1 << 24 // the most M a batch may have
)

// ParseBytes reads a size in bytes: 64, 4K, 4KiB, 16M, 16MiB, 1G, 1GiB.
func ParseBytes(s string) (uint64, error) {
	units := []struct {
		suffix string
		shift  uint
	}{{"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"K", 10}, {"M", 20}, {"G", 30}, {"B", 0}}
	num, shift := s, uint(0)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			num, shift = strings.TrimSuffix(s, u.suffix), u.shift
			break
		}
	}
	v, err := strconv.ParseUint(num, 10, 64)
	if err != nil || num == "" || num[0] == '+' {
		return 0, fmt.Errorf("'%s' is not a size in bytes (e.g. 64, 4KiB, 16MiB)", s)
	}
	if v > (1<<62)>>shift { // overflow check
		return 0, fmt.Errorf("size '%s' is too large", s)
	}
	return v << shift, nil
}

func split(flag, list string) ([]string, error) {
	if list == "" {
		return nil, fmt.Errorf("-%s: empty list", flag)
	}
	items := strings.Split(list, ",")
	if len(items) > 32 {
		return nil, fmt.Errorf("-%s: more than 32 values", flag)
	}
	return items, nil
}

// ParseConfig checks the flags' values and makes a Config of them.
// Empty strings and zero numbers mean the default (or --quick's).
func ParseConfig(sizes, kept, elems, strategies, budget string, items, maxItems int,
	quick bool) (Config, error) {
	var c Config
	pick := func(v, dflt, quickDflt string) string {
		switch {
		case v != "":
			return v
		case quick:
			return quickDflt
		}
		return dflt
	}
	list, err := split("sizes", pick(sizes, DefaultSizes, QuickSizes))
	if err != nil {
		return c, err
	}
	for _, s := range list {
		v, err := ParseBytes(s)
		if err != nil || v == 0 || v > MaxBytes {
			if err == nil {
				err = fmt.Errorf("-sizes: '%s' must be from 1 byte to 256 TiB", s)
			}
			return c, err
		}
		c.Sizes = append(c.Sizes, int(v))
	}
	if list, err = split("kept", pick(kept, DefaultKept, QuickKept)); err != nil {
		return c, err
	}
	for _, s := range list {
		r := KeptRule{Text: s}
		if strings.HasPrefix(s, "N/") {
			d, err := strconv.Atoi(s[2:])
			if err != nil || d <= 0 {
				return c, fmt.Errorf("kept rule '%s': after N/ comes a positive integer", s)
			}
			r.Divisor = d
		} else if v, err := ParseBytes(s); err != nil || v == 0 || v > MaxBytes {
			return c, fmt.Errorf("kept rule '%s' is neither a size (16) nor N/d (N/8)", s)
		} else {
			r.Bytes = int(v)
		}
		c.Kept = append(c.Kept, r)
	}
	if list, err = split("elem", pick(elems, DefaultElems, QuickElems)); err != nil {
		return c, err
	}
	for _, s := range list {
		switch s {
		case "1", "8", "24":
			v, _ := strconv.Atoi(s)
			c.Elems = append(c.Elems, v)
		default:
			return c, fmt.Errorf("-elem: '%s' is not an element size of this benchmark (1, 8, 24)", s)
		}
	}
	if strategies == "" {
		c.Strategies = Strategies()
	} else {
		if list, err = split("strategies", strategies); err != nil {
			return c, err
		}
		for _, s := range list {
			st, err := ParseStrategy(s)
			if err != nil {
				return c, err
			}
			c.Strategies = append(c.Strategies, st)
		}
	}
	if c.Budget, err = ParseBytes(pick(budget, DefaultBudget, QuickBudget)); err != nil || c.Budget == 0 {
		return c, fmt.Errorf("-budget: '%s' is not a size in bytes", budget)
	}
	if items < 0 || items > itemsLimit {
		return c, fmt.Errorf("-items: from 1 to %d (0: from the budget)", itemsLimit)
	}
	c.Items = items
	switch {
	case maxItems < 0 || maxItems > itemsLimit:
		return c, fmt.Errorf("-max-items: from 1 to %d", itemsLimit)
	case maxItems > 0:
		c.MaxItems = maxItems
	case quick:
		c.MaxItems = QuickMaxItems
	default:
		c.MaxItems = DefaultMaxItems
	}
	return c, nil
}

// Cases is every case of the config, in the C binary's order (N, then the
// k rules, then elem), with M chosen by the budget unless given. A k that
// an earlier rule already gave for the same N is not repeated, and N/d
// below one byte is left out. Cases whose M is 0 do not fit the budget.
func (c Config) Cases() ([]Case, error) {
	var out []Case
	fits := 0
	for _, n := range c.Sizes {
		var seen []int
	rules:
		for _, r := range c.Kept {
			k := r.K(n)
			if k > n {
				return nil, fmt.Errorf("-kept=%s is larger than N=%d (-sizes)", r.Text, n)
			}
			if k == 0 {
				continue
			}
			for _, s := range seen {
				if s == k {
					continue rules
				}
			}
			seen = append(seen, k)
			for _, e := range c.Elems {
				cs := Case{N: n, K: k, M: 1, Elem: e}
				if n%e != 0 || k%e != 0 {
					return nil, fmt.Errorf("N=%d and k=%d must be multiples of -elem=%d", n, k, e)
				}
				if c.Items > 0 {
					cs.M = c.Items
				} else {
					cs.M = ItemsFor(cs, c.Budget, c.MaxItems)
				}
				if cs.M > 0 {
					fits++
				} else {
					cs.M = 1 // named with M = 1, and skipped, as in C
				}
				out = append(out, cs)
			}
		}
	}
	if len(out) > 0 && fits == 0 {
		return nil, errors.New("-budget is too small for any case")
	}
	return out, nil
}

// RuleOf is the text of the first rule that gives k for n ("" if none).
func (c Config) RuleOf(n, k int) string {
	for _, r := range c.Kept {
		if r.K(n) == k {
			return r.Text
		}
	}
	return ""
}
