// gocheck opens a bbolt file with the real go.etcd.io/bbolt, so that oxcd-bbolt's tests can
// compare against it:
//
//	gocheck dump FILE   run tx.Check, then print every bucket and key/value as hex lines
//	gocheck gen FILE    create a database exercising inline, nested and multi-page buckets,
//	                    overflow values and a non-empty freelist
//	gocheck touch FILE  open FILE read-write, add a key to each top-level bucket, then check
//
// Dump lines, in cursor order (a nested bucket's lines follow its own "bucket" line):
//
//	bucket PATH SEQUENCE
//	kv PATH KEY VALUE
//
// where PATH is the hex of each bucket name joined by "/". Consistency errors go to stderr
// prefixed "check:" and make the exit status 1.
package main

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	bolt "go.etcd.io/bbolt"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gocheck dump|gen|touch FILE")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "dump":
		err = dump(os.Args[2])
	case "gen":
		err = gen(os.Args[2])
	case "touch":
		err = touch(os.Args[2])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func check(tx *bolt.Tx) error {
	bad := 0
	for err := range tx.Check() {
		fmt.Fprintln(os.Stderr, "check:", err)
		bad++
	}
	if bad > 0 {
		return fmt.Errorf("%d consistency errors", bad)
	}
	return nil
}

func dump(path string) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	out := &bytes.Buffer{}
	err = db.View(func(tx *bolt.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return dumpBucket(out, []string{hex.EncodeToString(name)}, b)
		})
	})
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(out.Bytes())
	return err
}

func dumpBucket(out *bytes.Buffer, path []string, b *bolt.Bucket) error {
	p := strings.Join(path, "/")
	fmt.Fprintf(out, "bucket %s %d\n", p, b.Sequence())
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			if child := b.Bucket(k); child != nil {
				return dumpBucket(out, append(path, hex.EncodeToString(k)), child)
			}
		}
		fmt.Fprintf(out, "kv %s %x %x\n", p, k, v)
		return nil
	})
}

func gen(path string) error {
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		small, err := tx.CreateBucket([]byte("small"))
		if err != nil {
			return err
		}
		if err := small.Put([]byte("a"), []byte("1")); err != nil {
			return err
		}
		if _, err := tx.CreateBucket([]byte("empty")); err != nil {
			return err
		}
		big, err := tx.CreateBucket([]byte("big"))
		if err != nil {
			return err
		}
		for i := 0; i < 20000; i++ {
			k := []byte(fmt.Sprintf("key-%06d", i))
			v := bytes.Repeat([]byte{byte(i)}, i%97)
			if err := big.Put(k, v); err != nil {
				return err
			}
		}
		if err := big.Put([]byte("huge"), bytes.Repeat([]byte("xyz"), 10000)); err != nil {
			return err
		}
		if _, err := big.NextSequence(); err != nil {
			return err
		}
		outer, err := tx.CreateBucket([]byte("outer"))
		if err != nil {
			return err
		}
		inner, err := outer.CreateBucket([]byte("inner"))
		if err != nil {
			return err
		}
		if err := inner.Put([]byte("deep"), []byte("value")); err != nil {
			return err
		}
		if err := outer.Put([]byte("zz"), []byte("after the bucket")); err != nil {
			return err
		}
		wide, err := outer.CreateBucket([]byte("wide"))
		if err != nil {
			return err
		}
		for i := 0; i < 3000; i++ {
			if err := wide.Put([]byte(fmt.Sprintf("w%05d", i)), []byte("v")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// A second transaction deletes keys so that the file has free pages.
	return db.Update(func(tx *bolt.Tx) error {
		big := tx.Bucket([]byte("big"))
		for i := 0; i < 20000; i += 3 {
			if err := big.Delete([]byte(fmt.Sprintf("key-%06d", i))); err != nil {
				return err
			}
		}
		return nil
	})
}

func touch(path string) error {
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.Put([]byte("\xff\xfftouched"), []byte("by go"))
		})
	})
	if err != nil {
		return err
	}
	return db.View(check)
}
