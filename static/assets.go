package static

import "embed"

// Assets are the app's own front-end files: its stylesheets (css/), small
// first-party scripts (js/), vendored libraries (vendor/, refreshed by
// vendor/refresh.sh) and images (img/). The app serves them under
// content-hashed URLs with a long, immutable cache.
//
//go:embed css/*.css js/*.js vendor/*.js img/*.svg
var Assets embed.FS
