package shard

import (
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
)

func ipcOptions(schema *arrow.Schema, compression string) []ipc.Option {
	opts := []ipc.Option{ipc.WithSchema(schema)}
	if compression == CompressionZstd {
		opts = append(opts, ipc.WithZstd())
	}
	return opts
}

func openIPCStream(w io.Writer, schema *arrow.Schema, compression string, _ ContainerOptions) (container, error) {
	return ipc.NewWriter(w, ipcOptions(schema, compression)...), nil
}

func openIPCFile(w io.Writer, schema *arrow.Schema, compression string, _ ContainerOptions) (container, error) {
	fw, err := ipc.NewFileWriter(w, ipcOptions(schema, compression)...)
	if err != nil {
		return nil, fmt.Errorf("shard: %w", err)
	}
	return fw, nil
}
