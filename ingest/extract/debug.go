package extract

// debugNames, when not nil (development tests only), records the class and
// id of every hinted node, for explaining decisions.
var debugNames map[int32]string

var debugAttrsFn func(z *scanner) string

func debugAttrs(z *scanner) string {
	if debugAttrsFn == nil {
		return ""
	}
	return debugAttrsFn(z)
}

// debugRegion, when set (development tests only), sees the region scores.
var debugRegion func(w *walker, final func(int32) float32, top int32)
