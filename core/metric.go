package core

import (
	"fmt"
	"strings"
)

// Metric is a distance or similarity; the values are faiss's MetricType
// numbers so that indexes and files interoperate.
type Metric int

const (
	MetricInnerProduct  Metric = 0
	MetricL2            Metric = 1 // squared Euclidean, as in faiss
	MetricL1            Metric = 2
	MetricLinf          Metric = 3
	MetricLp            Metric = 4 // sum |x-y|^p, p = metric arg (no root, as faiss)
	MetricCanberra      Metric = 20
	MetricBrayCurtis    Metric = 21
	MetricJensenShannon Metric = 22
	MetricJaccard       Metric = 23 // a similarity: sum min / sum max
	MetricNaNEuclidean  Metric = 24 // squared L2 over the non-NaN coordinates, rescaled
	MetricGower         Metric = 25 // numeric [0, 1] and categorical (negative) coordinates
)

var metricNames = map[Metric]string{
	MetricInnerProduct:  "INNER_PRODUCT",
	MetricL2:            "L2",
	MetricL1:            "L1",
	MetricLinf:          "Linf",
	MetricLp:            "Lp",
	MetricCanberra:      "Canberra",
	MetricBrayCurtis:    "BrayCurtis",
	MetricJensenShannon: "JensenShannon",
	MetricJaccard:       "Jaccard",
	MetricNaNEuclidean:  "NaNEuclidean",
	MetricGower:         "GOWER",
}

// Valid reports whether m is one of the metrics metalfaiss implements.
func (m Metric) Valid() bool { _, ok := metricNames[m]; return ok }

// String returns faiss's spelling (METRIC_<name>) without the prefix.
func (m Metric) String() string {
	if s, ok := metricNames[m]; ok {
		return s
	}
	return fmt.Sprintf("Metric(%d)", int(m))
}

// IsSimilarity is true when larger values are better (inner product).
func (m Metric) IsSimilarity() bool { return m == MetricInnerProduct || m == MetricJaccard }

// ParseMetric accepts a name as String returns it, case-insensitively,
// with or without the METRIC_ prefix.
func ParseMetric(s string) (Metric, error) {
	name := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "METRIC_")
	for m, n := range metricNames {
		if strings.ToUpper(n) == name {
			return m, nil
		}
	}
	return 0, Errorf(KindInvalidArgument, "ParseMetric", "unknown metric %q", s)
}

// checkMetric validates a metric for operation op.
func checkMetric(op string, m Metric) error {
	if !m.Valid() {
		return Errorf(KindInvalidArgument, op, "unknown metric %d", int(m))
	}
	return nil
}
