module github.com/carmed/carmed

go 1.26.8

require (
	github.com/beevik/etree v1.8.1
	github.com/mattn/go-isatty v0.0.20
	github.com/rs/zerolog v1.35.1
	github.com/russellhaering/goxmldsig v1.6.1
	go.etcd.io/bbolt v1.5.0
	go.yaml.in/yaml/v3 v3.0.6
)

require (
	github.com/hooklift/gowsdl v0.5.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	golang.org/x/sys v0.45.0 // indirect
)

tool github.com/hooklift/gowsdl/cmd/gowsdl
