package variants

import (
	"context"
	"strings"
	"testing"
)

// TestOfflineNoteOnShortCallsToAction: the offline generator's note that
// its drafts are English (f15OfflineNote) comes for a button in German,
// French, Spanish, Italian, Portuguese or Dutch, the languages of a
// European or Latin American team, however few its words: a button is
// often one or two words, none of them the articles and pronouns longer
// copy gives away its language by. It does not come for English buttons,
// nor for the English words other languages borrow ("Demo", "Download",
// "Newsletter", "Login"), which say nothing of the language on their
// own, nor for English copy with a word borrowed from another language.
func TestOfflineNoteOnShortCallsToAction(t *testing.T) {
	g, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		copy    string
		english bool
	}{
		{"German demo", "Demo buchen", false},
		{"German prices", "Preise ansehen", false},
		{"German contact", "Kontakt", false},
		{"German start", "Jetzt starten", false},
		{"German trial", "Kostenlos testen", false},
		{"German more", "Mehr erfahren", false},
		{"German sign in", "Anmelden", false},
		{"German register", "Registrieren", false},
		{"German cart", "Zum Warenkorb", false},
		{"German add to cart", "In den Warenkorb", false},
		{"German subscribe", "Newsletter abonnieren", false},
		{"German download", "Herunterladen", false},
		{"German quote", "Angebot anfordern", false},
		{"German appointment", "Termin vereinbaren", false},
		{"German checkout", "Zur Kasse", false},
		{"German log in", "Einloggen", false},
		{"German get going", "Loslegen", false},
		{"German booking", "Zur Buchung", false},
		{"French demo", "Réserver une démo", false},
		{"French prices", "Voir les tarifs", false},
		{"French contact", "Contactez-nous", false},
		{"French start", "Commencer", false},
		{"French trial", "Essai gratuit", false},
		{"French more", "En savoir plus", false},
		{"French sign up", "S'inscrire", false},
		{"French sign in", "Se connecter", false},
		{"French cart", "Ajouter au panier", false},
		{"French buy", "Acheter", false},
		{"French quote", "Demander un devis", false},
		{"Spanish demo", "Reservar una demo", false},
		{"Spanish prices", "Ver precios", false},
		{"Spanish contact", "Contacto", false},
		{"Spanish start", "Empezar", false},
		{"Spanish trial", "Prueba gratis", false},
		{"Spanish more", "Más información", false},
		{"Spanish sign up", "Regístrate", false},
		{"Spanish cart", "Añadir al carrito", false},
		{"Spanish buy", "Comprar ahora", false},
		{"Spanish download", "Descargar", false},
		{"Italian demo", "Prenota una demo", false},
		{"Italian prices", "Vedi i prezzi", false},
		{"Italian contact", "Contattaci", false},
		{"Italian start", "Inizia ora", false},
		{"Italian more", "Scopri di più", false},
		{"Italian sign up", "Registrati", false},
		{"Italian sign in", "Accedi", false},
		{"Italian cart", "Aggiungi al carrello", false},
		{"Italian buy", "Acquista", false},
		{"Italian quote", "Richiedi un preventivo", false},
		{"Portuguese demo", "Agendar demonstração", false},
		{"Portuguese prices", "Ver preços", false},
		{"Portuguese contact", "Fale conosco", false},
		{"Portuguese contact noun", "Contato", false},
		{"Portuguese start", "Comece agora", false},
		{"Portuguese more", "Saiba mais", false},
		{"Portuguese sign up", "Cadastre-se", false},
		{"Portuguese sign in", "Entrar", false},
		{"Portuguese cart", "Adicionar ao carrinho", false},
		{"Portuguese buy", "Comprar", false},
		{"Dutch demo", "Demo aanvragen", false},
		{"Dutch prices", "Bekijk prijzen", false},
		{"Dutch contact", "Neem contact op", false},
		{"Dutch start", "Nu starten", false},
		{"Dutch trial", "Gratis proberen", false},
		{"Dutch more", "Meer informatie", false},
		{"Dutch sign in", "Inloggen", false},
		{"Dutch register", "Registreren", false},
		{"Dutch cart", "In winkelwagen", false},
		{"Dutch order", "Bestellen", false},
		{"Dutch quote", "Offerte aanvragen", false},

		{"English demo", "Book a demo", true},
		{"English trial", "Start free trial", true},
		{"English contact", "Contact", true},
		{"English contact us", "Contact us", true},
		{"English sign up", "Sign up", true},
		{"English start", "Get started", true},
		{"English prices", "See pricing", true},
		{"English pricing", "Pricing", true},
		{"English log in", "Log in", true},
		{"English login", "Login", true},
		{"English register", "Register now", true},
		{"English cart", "Add to cart", true},
		{"English checkout", "Checkout", true},
		{"English buy", "Buy now", true},
		{"English shop", "Shop now", true},
		{"English more", "Learn more", true},
		{"English quote", "Request a quote", true},
		{"English continue", "Continue", true},
		{"English download", "Download the app", true},
		{"English subscribe", "Subscribe", true},
		{"English waitlist", "Join the waitlist", true},
		{"borrowed demo", "Demo", true},
		{"borrowed download", "Download", true},
		{"borrowed newsletter", "Newsletter", true},
		{"borrowed start", "Start", true},
		{"borrowed team", "Team plan", true},
		{"borrowed online shop", "Online shop", true},
		{"English with a café", "Café menus your guests will love", true},
		{"English with a jalapeño", "Jalapeño poppers", true},
		{"English with a fiesta", "Book your fiesta", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Brief{Goal: "Get visitors to book a demo", CurrentCopy: tt.copy, ElementKind: "button", N: 2}
			res, err := g.Generate(context.Background(), b)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			noted := contains(res.Notes, f15OfflineNote)
			switch {
			case tt.english && noted:
				t.Errorf("%q is English, and the drafts' note says it does not look English: %q", tt.copy, res.Notes)
			case !tt.english && !noted:
				t.Errorf("%q is not English, and the drafts come with no note that they are: notes %q", tt.copy, res.Notes)
			}
			for _, v := range res.Variants {
				if said := strings.HasSuffix(v.Rationale, offlineEnglishOnly); said == tt.english {
					t.Errorf("the rationale of %q for %q says it is English: %v, want %v", v.Text, tt.copy, said, !tt.english)
				}
			}
		})
	}
}
