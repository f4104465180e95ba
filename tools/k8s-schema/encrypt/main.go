// Command encrypt writes test vectors for oxcd's decryption of values encrypted at rest, made by
// kube-apiserver's own transformers (aesgcm and secretbox), so the decoder is checked against
// Kubernetes rather than against itself.
//
//	go run ./encrypt KEY PLAINTEXT_BASE64 > ../../crates/k8s/testdata/encrypted.json
package main

import (
	"context"
	"crypto/aes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"

	aestransformer "k8s.io/apiserver/pkg/storage/value/encrypt/aes"
	"k8s.io/apiserver/pkg/storage/value"
	"k8s.io/apiserver/pkg/storage/value/encrypt/secretbox"
)

func main() {
	key := os.Args[1]
	plaintext, err := base64.StdEncoding.DecodeString(os.Args[2])
	check(err)
	gcmKey := []byte("0123456789abcdef0123456789abcdef")
	boxKey := [32]byte{}
	copy(boxKey[:], "fedcba9876543210fedcba9876543210")
	block, err := aes.NewCipher(gcmKey)
	check(err)
	gcm, err := aestransformer.NewGCMTransformer(block)
	check(err)
	ctx := context.Background()
	dataCtx := value.DefaultContext(key)
	sealedGCM, err := value.NewPrefixTransformers(nil, value.PrefixTransformer{Prefix: []byte("k8s:enc:aesgcm:v1:gcmkey:"), Transformer: gcm}).TransformToStorage(ctx, plaintext, dataCtx)
	check(err)
	box := secretbox.NewSecretboxTransformer(boxKey)
	sealedBox, err := value.NewPrefixTransformers(nil, value.PrefixTransformer{Prefix: []byte("k8s:enc:secretbox:v1:boxkey:"), Transformer: box}).TransformToStorage(ctx, plaintext, dataCtx)
	check(err)
	out := map[string]string{
		"key":       key,
		"plaintext": os.Args[2],
		"aesgcm":    base64.StdEncoding.EncodeToString(sealedGCM),
		"secretbox": base64.StdEncoding.EncodeToString(sealedBox),
		"config": "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [configmaps]\n  providers:\n  - aesgcm:\n      keys:\n      - name: gcmkey\n        secret: " +
			base64.StdEncoding.EncodeToString(gcmKey) + "\n  - secretbox:\n      keys:\n      - name: boxkey\n        secret: " +
			base64.StdEncoding.EncodeToString(boxKey[:]) + "\n  - identity: {}\n",
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	check(enc.Encode(out))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
