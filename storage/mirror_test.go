package storage

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestMirrorStagesAFolder drives a Mirror as run, dedup and finalize do:
// restore from the remote into a fresh folder, put files one at a time,
// publish the rest (temporaries and skipped folders left out, nothing
// uploaded twice), then clean up the remote work objects.
func TestMirrorStagesAFolder(t *testing.T) {
	bucket := newBucket(t)
	s := testStorage(t, testServer.opts.Endpoint, nil)
	ctx := context.Background()
	remote := "s3://" + bucket + "/out/"
	if err := s.WriteFile(ctx, "s3://"+bucket+"/out/work/files/000001.json", []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile(ctx, "s3://"+bucket+"/out/stats-00000.json", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}

	local := t.TempDir()
	m := s.NewMirror(remote, local)
	if err := m.Fetch(ctx, func(rel string) bool { return rel == "stats-00000.json" }); err != nil {
		t.Fatal(err)
	}
	if !m.Synced("stats-00000.json") || m.Synced("work/files/000001.json") {
		t.Fatalf("after Fetch: synced stats %v, marker %v; want true, false", m.Synced("stats-00000.json"), m.Synced("work/files/000001.json"))
	}
	rels, err := m.List(ctx, "work/files")
	if err != nil || !slices.Equal(rels, []string{"work/files/000001.json"}) {
		t.Fatalf("List(work/files) = %v, %v", rels, err)
	}
	if rels, err := m.List(ctx, "nothing/here"); err != nil || len(rels) != 0 {
		t.Fatalf("List of an empty prefix = %v, %v; want nothing, no error", rels, err)
	}
	p, err := m.Get(ctx, "work/files/000001.json")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != `{"a":1}` || m.Synced("work/files/000001.json") {
		t.Fatalf("Get wrote %q (synced %v); want the object, not yet synced", b, m.Synced("work/files/000001.json"))
	}

	write := func(rel, data string) {
		t.Helper()
		p := m.LocalPath(rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("work/000001-0.arrow", "stage one")
	write("shards/00000.arrow", "final")
	write("shards/00001.arrow.tmp", "killed writer")
	write("."+"stats.json.tmp123", "killed stats")
	write("x"+tmpMarker+"1", "killed WriteFile")
	write("completions/00000", "marker")
	write("stats.json", "{}")
	if err := m.Put(ctx, "work/000001-0.arrow"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Rel(filepath.Join(local, "..", "elsewhere")); err == nil {
		t.Error("Rel of a path outside the folder: no error")
	}
	// A local change to a synced file is not uploaded again.
	write("stats-00000.json", `{"changed":true}`)
	if err := m.Publish(ctx, "work", "completions"); err != nil {
		t.Fatal(err)
	}
	all, err := m.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(all)
	want := []string{"shards/00000.arrow", "stats-00000.json", "stats.json", "work/000001-0.arrow", "work/files/000001.json"}
	if !slices.Equal(all, want) {
		t.Fatalf("remote after Publish = %v, want %v", all, want)
	}
	if b, _ := s.ReadFile(ctx, m.RemotePath("stats-00000.json")); string(b) != "{}" {
		t.Errorf("a fetched file was uploaded again: %q", b)
	}
	m.RemoveRemote(ctx, "work", func(rel string) bool { return filepath.Base(rel) != "000001.json" })
	all, _ = m.List(ctx, "work")
	if !slices.Equal(all, []string{"work/files/000001.json"}) {
		t.Errorf("remote work/ after RemoveRemote = %v, want only the marker", all)
	}
}
