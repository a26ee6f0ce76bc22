// Package local is the default resource provider: it serves each resource
// worker group with a task runner in the server's own process.
package local

import (
	"context"
	"log/slog"
	"sync"

	"github.com/datapipe/datapipe/internal/resource"
)

// Config configures a Provider.
type Config struct {
	// Start runs a runner for the account's group until ctx ends. Required.
	Start func(ctx context.Context, accountID, group string) error
	// Logger defaults to a discarding logger.
	Logger *slog.Logger
}

// Provider starts one in-process runner per (account, resource group) on
// first demand and keeps it until the provider's context ends. (Stopping
// runners when a resource's work is done, and terminateAfter, are not
// implemented yet.)
type Provider struct {
	ctx    context.Context
	cfg    Config
	mu     sync.Mutex
	served map[string]bool
	wg     sync.WaitGroup
}

var _ resource.Provider = (*Provider)(nil)

// New returns a Provider whose runners live until ctx ends.
func New(ctx context.Context, cfg Config) *Provider {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Provider{ctx: ctx, cfg: cfg, served: map[string]bool{}}
}

// Ensure implements resource.Provider.
func (p *Provider) Ensure(accountID, group string) {
	key := accountID + "\x00" + group
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.served[key] || p.ctx.Err() != nil {
		return
	}
	p.served[key] = true
	p.wg.Add(1)
	go p.run(key, accountID, group)
}

func (p *Provider) run(key, accountID, group string) {
	defer p.wg.Done()
	p.cfg.Logger.Info("resource runner started", "account_id", accountID, "worker_group", group)
	if err := p.cfg.Start(p.ctx, accountID, group); err != nil && p.ctx.Err() == nil {
		p.cfg.Logger.Warn("resource runner stopped", "worker_group", group, "err", err)
	}
	p.mu.Lock()
	delete(p.served, key)
	p.mu.Unlock()
}

// Wait blocks until every runner has stopped (after the context ended).
func (p *Provider) Wait() { p.wg.Wait() }
