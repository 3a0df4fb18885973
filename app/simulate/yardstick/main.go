// Command yardstick is the load test's measuring stick: a bare Fiber server
// whose POST /e only parses the body as copylab does (the same decoder into
// the same shape: experiments.DecodeEventsBody) and answers 204, without
// validating, storing or waiting for a disk. scripts/loadtest.sh runs `copylab simulate` against it and against
// copylab in the same run; the ratio of the two says how much of the
// machine's HTTP capacity copylab's events path keeps.
//
// It also answers GET /s/{key}.json with a fixed site config (one experiment,
// control and b, half each), so that the simulator runs unchanged against it.
//
//	yardstick [-addr 127.0.0.1:18090]
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// Experiment is the id of the one experiment of the yardstick's site config.
const Experiment = "0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b"

func main() {
	addr := flag.String("addr", "127.0.0.1:18090", "address to listen on")
	flag.Parse()
	if err := run(*addr); err != nil {
		fmt.Fprintln(os.Stderr, "yardstick:", err)
		os.Exit(1)
	}
}

func run(addr string) error {
	f := fiber.New(fiber.Config{DisableStartupMessage: true})
	f.Post("/e", func(c *fiber.Ctx) error {
		if err := experiments.DecodeEventsBody(c.Body()); err != nil {
			return c.SendStatus(fiber.StatusBadRequest)
		}
		return c.SendStatus(fiber.StatusNoContent)
	})
	f.Get("/s/:key.json", func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"site": c.Params("key"), "experiments": []fiber.Map{{
			"id": Experiment, "seed": "yardstick", "coverage_bp": 10000,
			"goal":     fiber.Map{"type": "click", "value": "#buy"},
			"variants": []fiber.Map{{"key": "control", "weight_bp": 5000}, {"key": "b", "weight_bp": 5000}},
		}}})
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		f.Shutdown()
	}()
	fmt.Println("yardstick listening on", ln.Addr())
	if err := f.Listener(ln); err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}
