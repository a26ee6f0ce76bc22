module github.com/datapipe/datapipe

go 1.26.0
