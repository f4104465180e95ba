// Command k8s-schema writes what oxcd's Kubernetes decoder needs to know about the API types
// that the protobuf descriptors alone do not say: how each field is spelled in JSON, whether
// encoding/json omits it when empty, whether it is a pointer (a present zero value is printed),
// whether it is inlined into its parent, and which Go types marshal themselves. It reflects over
// the same Go types kube-apiserver stores, so the table is exactly what encoding/json does.
//
//	go run . > ../../crates/k8s/schema/fields.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"

	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextv1beta1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/scheme"
	apiregv1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
	apiregv1beta1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1beta1"
)

// Field is one protobuf field of a message, as encoding/json treats the Go field behind it.
// Only what differs from the common case is written: the JSON name when it is not the proto
// name, and flags "p" (pointer), "e" (emitted even when empty: no omitempty), "z" (omitzero:
// a zero struct is omitted too), "i" (inlined).
type Field struct {
	JSON  string `json:"json,omitempty"`
	Flags string `json:"flags,omitempty"`
}

type Output struct {
	// Kinds maps "group/version Kind" to the protobuf message of the Go type stored for it.
	Kinds map[string]string `json:"kinds"`
	// Messages maps a protobuf message name to its fields that differ from the common case.
	Messages map[string]map[string]Field `json:"messages"`
	// CustomJSON lists the messages whose Go type has its own MarshalJSON.
	CustomJSON []string `json:"customJSON"`
	// ListWrappers lists the messages that stand for a named Go slice type (such as
	// `type ExtraValue []string`): protobuf wraps the slice in a message with one repeated field
	// `items`, while JSON shows the bare array.
	ListWrappers []string `json:"listWrappers"`
}

var marshaler = reflect.TypeOf((*json.Marshaler)(nil)).Elem()

func protoName(t reflect.Type) string {
	pkg := strings.NewReplacer("/", ".", "-", "_").Replace(t.PkgPath())
	return pkg + "." + t.Name()
}

type walker struct {
	out      *Output
	seen     map[reflect.Type]bool
	custom   map[string]bool
	wrappers map[string]bool
}

func (w *walker) walk(t reflect.Type) {
	for {
		if t.Kind() == reflect.Slice && t.Name() != "" && strings.HasPrefix(t.PkgPath(), "k8s.io/") && t.Elem().Kind() != reflect.Uint8 {
			w.wrappers[protoName(t)] = true
		}
		if t.Kind() != reflect.Pointer && t.Kind() != reflect.Slice && t.Kind() != reflect.Map && t.Kind() != reflect.Array {
			break
		}
		if t.Kind() == reflect.Map {
			w.walk(t.Key())
		}
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || w.seen[t] || !strings.HasPrefix(t.PkgPath(), "k8s.io/") {
		return
	}
	w.seen[t] = true
	if t.Implements(marshaler) || reflect.PointerTo(t).Implements(marshaler) {
		w.custom[protoName(t)] = true
	}
	fields := map[string]Field{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		w.walk(f.Type)
		tag, ok := f.Tag.Lookup("protobuf")
		if !ok {
			continue
		}
		name := ""
		for _, part := range strings.Split(tag, ",") {
			if strings.HasPrefix(part, "name=") {
				name = strings.TrimPrefix(part, "name=")
			}
		}
		jsonTag := f.Tag.Get("json")
		parts := strings.Split(jsonTag, ",")
		field := Field{}
		flags := ""
		inline, omitempty, omitzero := false, false, false
		for _, opt := range parts[1:] {
			inline = inline || opt == "inline"
			omitempty = omitempty || opt == "omitempty"
			omitzero = omitzero || opt == "omitzero"
		}
		if parts[0] == "" && f.Anonymous {
			inline = true
		}
		if parts[0] != name && !inline {
			field.JSON = parts[0]
		}
		if f.Type.Kind() == reflect.Pointer {
			flags += "p"
		}
		if !omitempty && !omitzero && !inline {
			flags += "e"
		}
		if omitzero {
			flags += "z"
		}
		if inline {
			flags += "i"
		}
		field.Flags = flags
		if field != (Field{}) {
			fields[name] = field
		}
	}
	if len(fields) > 0 {
		w.out.Messages[protoName(t)] = fields
	}
}

func main() {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		scheme.AddToScheme, apiextv1.AddToScheme, apiextv1beta1.AddToScheme,
		apiregv1.AddToScheme, apiregv1beta1.AddToScheme,
	} {
		if err := add(s); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	out := Output{Kinds: map[string]string{}, Messages: map[string]map[string]Field{}}
	w := &walker{out: &out, seen: map[reflect.Type]bool{}, custom: map[string]bool{}, wrappers: map[string]bool{}}
	for gvk, t := range s.AllKnownTypes() {
		if gvk.Version == runtime.APIVersionInternal || strings.HasSuffix(gvk.Kind, "List") || strings.HasSuffix(gvk.Kind, "Options") {
			continue
		}
		if t.PkgPath() == "k8s.io/apimachinery/pkg/apis/meta/v1" {
			continue
		}
		out.Kinds[gvk.GroupVersion().String()+" "+gvk.Kind] = protoName(t)
		w.walk(t)
	}
	for name := range w.custom {
		out.CustomJSON = append(out.CustomJSON, name)
	}
	sort.Strings(out.CustomJSON)
	for name := range w.wrappers {
		out.ListWrappers = append(out.ListWrappers, name)
	}
	sort.Strings(out.ListWrappers)
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
