package app

import (
	"slices"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"copylab/experiments"
)

// routes is the route table, top to bottom, grouped by audience. Each group
// lists its own middleware; groups are not Fiber path prefixes (a Fiber
// group on "/" would run its middleware for every path), so each route
// carries its group's middleware explicitly.
func (a *App) routes() {
	f := a.fiber
	// Every request: a request id, counted in the metrics, one log line
	// (and the mapping of errors to answers), panics turned into 500s,
	// baseline security headers.
	f.Use(a.requestID, a.countRequests, a.logRequests, a.recoverPanics, a.securityHeaders)

	// Public: called from customers' sites. CORS *, no credentials, no
	// cookies read or set; rate limited per client IP (and per site for
	// events, in eventsPost); no compressed bodies.
	public := a.group(a.publicHeaders, a.limitPublic, a.refuseEncodedBodies)
	public.Get("/s/:file", a.snippetServe)
	public.Options("/e", a.eventsPreflight)
	public.Post("/e", a.eventsPost)

	// Pages, assets and fragments are compressed when the browser accepts
	// it (the snippet compresses itself, once per version).
	gz := compress.New()

	// Public pages and assets: no session needed.
	open := a.group(gz)
	open.Get("/static/:hash/*", a.assetServe)
	open.Get("/favicon.ico", a.faviconServe)
	open.Get("/healthz", a.healthz)
	// Metrics: only for Config.MetricsAllow addresses or the MetricsToken.
	a.group().Get("/metrics", a.metricsHandler())
	open.Get("/demo", a.demoShow)
	// Share links: the token in the path is the secret. Each request reads
	// the experiment's statistics, so a client address has a limit fit for
	// a person watching the page (ratelimit_public.go).
	share := a.group(a.limitShare(), gz)
	share.Get("/r/:token", a.shareShow)
	share.Get("/r/:token/live", a.shareLive)
	share.Get("/r/:token/trends", a.shareTrends)
	share.Get("/r/:token/results.csv", a.shareResultsCSV)
	share.Get("/r/:token/daily.csv", a.shareDailyCSV)
	share.Get("/r/:token/recordings", a.shareRecordings)
	signedOut := a.group(gz, a.loadSession, a.checkFormCSRF)
	signedOut.Get("/login", a.loginShow)
	signedOut.Post("/login", a.loginSubmit)
	signedOut.Get("/setup", a.setupShow)
	// Sent again by the browser that set copylab up, the setup form goes
	// to the app before its token is checked (setupSignedIn).
	a.group(gz, a.loadSession, a.setupSignedIn, a.checkFormCSRF).Post("/setup", a.setupSubmit)
	signedOut.Get("/logout", a.logoutShow) // the button, not a sign-out: signed out, /login
	// Invite links: the token in the path is the secret (invite_show.go).
	invite := a.group(gz, a.inviteHeaders, a.loadSession, a.checkFormCSRF)
	invite.Get("/invite/:token", a.inviteShow)
	invite.Post("/invite/:token", a.inviteAccept)

	// Pages: a session, and the session's CSRF token on every unsafe request.
	pages := a.group(gz, a.loadSession, a.requireUser, a.checkCSRF)
	pages.Get("/", a.home)
	pages.Post("/logout", a.logout)
	pages.Get("/experiments", a.experimentsList)
	pages.Get("/experiments/new", a.experimentNew)
	pages.Get("/experiments/plan", a.planShow)
	pages.Post("/experiments", a.experimentCreate)
	pages.Get("/experiments/:id", a.experimentShow)
	pages.Get("/experiments/:id/edit", a.experimentEdit)
	pages.Post("/experiments/:id/edit", a.experimentUpdate)
	pages.Post("/experiments/:id/start", a.experimentTransition(experiments.ActionStart))
	pages.Post("/experiments/:id/pause", a.experimentTransition(experiments.ActionPause))
	pages.Post("/experiments/:id/resume", a.experimentTransition(experiments.ActionResume))
	pages.Post("/experiments/:id/stop", a.experimentTransition(experiments.ActionStop))
	pages.Post("/experiments/:id/ship", a.experimentShip)
	pages.Post("/experiments/:id/unship", a.experimentUnship)
	pages.Post("/experiments/:id/share-link", a.experimentShareLink)
	pages.Post("/experiments/:id/share-link/off", a.experimentShareOff)
	pages.Post("/experiments/:id/delete", a.experimentDelete)
	pages.Post("/experiments/:id/duplicate", a.experimentDuplicate)
	pages.Post("/experiments/:id/follow-up", a.experimentFollowUp)
	pages.Get("/experiments/:id/results", a.resultsShow)
	pages.Get("/experiments/:id/results/live", a.resultsLive)
	pages.Get("/experiments/:id/results/trends", a.resultsTrends)
	pages.Get("/experiments/:id/results.csv", a.resultsCSV)
	pages.Get("/experiments/:id/daily.csv", a.dailyCSV)
	pages.Get("/experiments/:id/events.csv", a.eventsCSV) // members only: no share link's route (visitor ids, URLs)
	pages.Get("/experiments/:id/recordings", a.recordingsShow)
	pages.Get("/experiments/:id/generate", a.generateShow)
	pages.Post("/experiments/:id/generate", a.generateStart)
	pages.Get("/experiments/:id/generate/jobs/:job", a.generateStatus)
	pages.Get("/experiments/:id/generate/jobs/:job/drafts/:n", a.generateDraft)
	pages.Post("/experiments/:id/generate/jobs/:job/drafts/:n/regenerate", a.generateRegenerate)
	pages.Post("/experiments/:id/generate/jobs/:job/approve", a.generateApprove)
	pages.Get("/sites", a.sitesList)
	pages.Post("/sites", a.siteCreate)
	pages.Get("/sites/:id", a.siteShow)
	pages.Post("/sites/:id/settings", a.siteUpdate)
	pages.Post("/sites/:id/recorders", a.siteRecordersSave)
	pages.Post("/sites/:id/notifications", a.siteNotificationsSave)
	pages.Post("/sites/:id/notifications/test", a.siteNotificationsTest)
	pages.Post("/sites/:id/delete", a.siteDelete)
	// Everyone sees the Users page; only admins manage people (user_admin.go).
	pages.Get("/users", a.usersList)
	pages.Post("/users", a.adminOnly("add people", a.userAdd))
	pages.Post("/users/:id/delete", a.adminOnly("remove people", a.userRemove))
	pages.Post("/users/:id/role", a.adminOnly("change roles", a.userRoleChange))
	pages.Post("/users/invites", a.adminOnly("invite people", a.inviteCreate))
	pages.Post("/users/invites/:id/delete", a.adminOnly("revoke invites", a.inviteRevoke))
	pages.Get("/settings", a.settingsShow)
	pages.Post("/settings/tokens", a.tokenCreate)
	pages.Post("/settings/password", a.passwordChange)
	pages.Post("/settings/tokens/:id/delete", a.tokenRevoke)
	pages.Post("/settings/sessions/delete-others", a.sessionsRevokeOthers)
	pages.Post("/settings/sessions/:id/delete", a.sessionRevoke)
	pages.Post("/settings/llm/test", a.settingsLLMTest)

	// JSON API: Authorization: Bearer TOKEN. Errors are JSON everywhere.
	// Before its routes match, the id of an experiment or a site in the
	// path is put in lower case (apiLowerIDs): any case names the same one.
	f.Use("/api/v1", a.apiLowerIDs)
	// Every call refuses a query parameter it does not take (apiQuery); the
	// creating POSTs take an Idempotency-Key (idempotency.go).
	api := a.group(a.refuseEncodedBodies, a.apiAuth, a.apiQuery, a.idempotent, a.apiNotFound)
	api.Get("/api/v1/sites", a.apiSitesList)
	api.Post("/api/v1/sites", a.apiSiteCreate)
	api.Get("/api/v1/sites/:id", a.apiSiteGet)
	api.Patch("/api/v1/sites/:id", a.apiSiteUpdate)
	api.Delete("/api/v1/sites/:id", a.apiSiteDelete)
	api.Get("/api/v1/experiments", a.apiExperimentsList)
	api.Post("/api/v1/experiments", a.apiExperimentCreate)
	api.Get("/api/v1/experiments/:id", a.apiExperimentGet)
	api.Patch("/api/v1/experiments/:id", a.apiExperimentUpdate)
	api.Delete("/api/v1/experiments/:id", a.apiExperimentDelete)
	api.Post("/api/v1/experiments/:id/generate", a.apiExperimentGenerate)
	api.Post("/api/v1/experiments/:id/variants", a.apiVariantAdd)
	api.Get("/api/v1/experiments/:id/variants/:key", a.apiVariantGet)
	api.Patch("/api/v1/experiments/:id/variants/:key", a.apiVariantUpdate)
	api.Delete("/api/v1/experiments/:id/variants/:key", a.apiVariantDelete)
	api.Post("/api/v1/experiments/:id/start", a.apiExperimentTransition(experiments.ActionStart))
	api.Post("/api/v1/experiments/:id/pause", a.apiExperimentTransition(experiments.ActionPause))
	api.Post("/api/v1/experiments/:id/resume", a.apiExperimentTransition(experiments.ActionResume))
	api.Post("/api/v1/experiments/:id/stop", a.apiExperimentTransition(experiments.ActionStop))
	api.Post("/api/v1/experiments/:id/ship", a.apiExperimentShip)
	api.Post("/api/v1/experiments/:id/unship", a.apiExperimentUnship)
	api.Post("/api/v1/experiments/:id/share-link", a.apiExperimentShareLink)
	api.Delete("/api/v1/experiments/:id/share-link", a.apiExperimentShareOff)
	api.Post("/api/v1/experiments/:id/duplicate", a.apiExperimentDuplicate)
	api.Get("/api/v1/experiments/:id/history", a.apiExperimentHistory)
	api.Get("/api/v1/experiments/:id/results", a.apiResults)
	api.Get("/api/v1/experiments/:id/recordings", a.apiRecordingsList)
	api.Get("/api/v1/experiments/:id/results.csv", a.resultsCSV) // the page's download, for a token
	api.Get("/api/v1/experiments/:id/daily.csv", a.dailyCSV)
	api.Get("/api/v1/experiments/:id/events", a.apiEventsExport) // NDJSON, streamed
	api.Get("/api/v1/experiments/:id/events.csv", a.eventsCSV)
	// Any other /api path: 405 with Allow for a path above asked with
	// another method, 404 otherwise. The methods are read from the routes
	// just registered, so they cannot drift from this table.
	f.All("/api/*", apiNoRoute(apiRoutesOf(f.GetRoutes(true))))
}

// group is a list of middleware that every route added through it runs
// before its handler.
type group struct {
	r  fiber.Router
	mw []fiber.Handler
}

func (a *App) group(mw ...fiber.Handler) group { return group{r: a.fiber, mw: mw} }

func (g group) chain(h fiber.Handler) []fiber.Handler { return append(slices.Clone(g.mw), h) }

func (g group) Get(path string, h fiber.Handler)     { g.r.Get(path, g.chain(h)...) }
func (g group) Post(path string, h fiber.Handler)    { g.r.Post(path, g.chain(h)...) }
func (g group) Patch(path string, h fiber.Handler)   { g.r.Patch(path, g.chain(h)...) }
func (g group) Delete(path string, h fiber.Handler)  { g.r.Delete(path, g.chain(h)...) }
func (g group) Options(path string, h fiber.Handler) { g.r.Options(path, g.chain(h)...) }
