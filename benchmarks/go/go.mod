module slicebench/benchmarks/go

go 1.19
