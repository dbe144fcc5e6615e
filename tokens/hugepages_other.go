//go:build !linux

package tokens

import "unsafe"

func mapHuge(uintptr) ([]byte, unsafe.Pointer) { return nil, nil }

func unmapHuge([]byte) {}
