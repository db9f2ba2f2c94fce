package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/kql-offline/kql/tables"
	"github.com/kql-offline/kql/tables/sample"
)

func main() {
	prof := flag.String("cpu", "", "")
	flag.Parse()
	hints, _ := sample.Schemas()
	if *prof != "" {
		f, _ := os.Create(*prof)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	t0 := time.Now()
	t, err := tables.LoadFile(flag.Arg(0), tables.LoadOptions{Hints: hints["AIAgentsInfo"]})
	if err != nil {
		panic(err)
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Println(t.Rows(), time.Since(t0), "cpu", time.Duration(ru.Utime.Nano()+ru.Stime.Nano()), "maxrss MB", ru.Maxrss/1024, "heap MB", ms.HeapAlloc>>20)
}
