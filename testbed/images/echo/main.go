// Command echo is the end-to-end test's workload: a static HTTP server that answers with the
// pod's host name ("echo serve :8080"), and the client that checks it from another pod
// ("echo get URL [TRIES]"), so the test needs no image but its own.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: echo serve ADDR | echo get URL [TRIES]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		addr := ":8080"
		if len(os.Args) > 2 {
			addr = os.Args[2]
		}
		host, _ := os.Hostname()
		http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "hello from %s\n", host)
		})
		fmt.Println("serving on", addr)
		if err := http.ListenAndServe(addr, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "get":
		tries := 1
		if len(os.Args) > 3 {
			tries, _ = strconv.Atoi(os.Args[3])
		}
		client := &http.Client{Timeout: 5 * time.Second}
		for i := 1; ; i++ {
			resp, err := client.Get(os.Args[2])
			if err == nil {
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				fmt.Printf("%s %s", resp.Status, body)
				if resp.StatusCode == 200 {
					return
				}
			} else {
				fmt.Fprintln(os.Stderr, "try", i, err)
			}
			if i >= tries {
				os.Exit(1)
			}
			time.Sleep(2 * time.Second)
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
}
