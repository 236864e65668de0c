package core

import (
	"math/rand"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestProgressStagesCountsAndLines(t *testing.T) {
	p := &Progress{}
	p.Stage("add", 100)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				p.Advance(1)
			}
		}()
	}
	p.Logf("added %d / %d", 0, 100)
	wg.Wait()
	stages, lines := p.Snapshot()
	require.Equal(t, []StageState{{"add", 100, 100}}, stages)
	require.Equal(t, []string{"added 0 / 100"}, lines)
	stages, lines = p.Snapshot()
	require.Equal(t, []StageState{{"add", 100, 100}}, stages, "the current stage stays")
	require.Empty(t, lines, "a snapshot takes the lines it returns")
}

func TestProgressKeepsStagesThatEndedBetweenSnapshots(t *testing.T) {
	p := &Progress{}
	stages, _ := p.Snapshot()
	require.Empty(t, stages, "no stage before the first")
	p.Stage("train quantizer", 3)
	p.Advance(3)
	p.Stage("train codec", 1)
	p.Advance(1)
	p.Stage("add", 10)
	p.Advance(4)
	stages, _ = p.Snapshot()
	require.Equal(t, []StageState{{"train quantizer", 3, 3}, {"train codec", 1, 1}, {"add", 4, 10}}, stages)
	stages, _ = p.Snapshot()
	require.Equal(t, []StageState{{"add", 4, 10}}, stages, "ended stages are reported once")
}

func TestProgressNilRecordsNothing(t *testing.T) {
	var p *Progress
	p.Stage("add", 10)
	p.Advance(3)
	p.Logf("x %d", 1)
	stages, lines := p.Snapshot()
	require.Nil(t, stages)
	require.Nil(t, lines)
}

func TestIndexPQReportsOneUnitPerSubQuantizer(t *testing.T) {
	x := randData(rand.New(rand.NewSource(21)), 2000, 16, false)
	ix, err := NewIndexPQ(16, 4, 6, MetricL2)
	require.NoError(t, err)
	p := &Progress{}
	ix.SetProgress(p)
	require.NoError(t, ix.Train(x))
	stages, lines := p.Snapshot()
	require.Equal(t, []StageState{{"train codec", 4, 4}}, stages)
	require.Equal(t, "Training PQ slice 0/4", lines[0])
	require.Contains(t, lines, "Training PQ slice 3/4")
	require.Nil(t, ix.PQ.Progress, "the quantizer lets go of the progress after train")
	require.Nil(t, ix.PQ.Log)
}

func TestIVFPQTrainCodecCountsSubQuantizers(t *testing.T) {
	x := randData(rand.New(rand.NewSource(22)), 3000, 16, false)
	q, _ := NewIndexFlat(16, MetricL2)
	ix, err := NewIndexIVFPQ(q, 16, 8, 4, 6, MetricL2)
	require.NoError(t, err)
	p := &Progress{}
	ix.SetProgress(p)
	require.NoError(t, ix.Train(x))
	stages, lines := p.Snapshot()
	require.Equal(t, StageState{"train codec", 4, 4}, stages[len(stages)-1])
	require.Contains(t, lines, "training 4x64 product quantizer on 3000 vectors in 16D")
}
