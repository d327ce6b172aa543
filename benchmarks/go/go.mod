module slicebench/retention

go 1.19
