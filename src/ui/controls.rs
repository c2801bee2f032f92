//! Reusable controls: a logarithmic slider paired with a number field that accepts "128k",
//! "7B" or "1.5T", and a labelled select. Keyboard-operable (native `<input type=range>`),
//! labelled, and never lose the last valid value: an invalid entry shows an inline message.

use yew::prelude::*;

use crate::estimate::units::{NumberError, Suffixes, format_context, format_count, format_int, parse_number};

/// How a slider's value is written and snapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Context lengths: binary suffixes, snapped to quarter octaves (8192, 10240, 12288 …).
    Context,
    /// Large counts (parameters, tokens): decimal suffixes, two significant digits.
    Count,
    /// Small integers (batch, GPUs): exact below 20, two significant digits above.
    Integer,
}

impl Kind {
    fn suffixes(self) -> Suffixes {
        match self {
            Kind::Context => Suffixes::Binary,
            _ => Suffixes::Decimal,
        }
    }
    /// Display text.
    pub fn format(self, v: f64) -> String {
        match self {
            Kind::Context => format_context(v),
            Kind::Count => format_count(v),
            Kind::Integer => format_int(v),
        }
    }
    /// Rounds a slider value to a value people would type.
    pub fn snap(self, v: f64) -> f64 {
        let two_sig = |v: f64| {
            let e = 10f64.powf(v.log10().floor() - 1.0);
            (v / e).round() * e
        };
        match self {
            Kind::Context => {
                if v < 16.0 {
                    v.round()
                } else {
                    let base = 2f64.powf(v.log2().floor());
                    let q = base / 4.0;
                    ((v / q).round() * q).round()
                }
            }
            Kind::Count => two_sig(v),
            Kind::Integer => {
                if v < 20.0 {
                    v.round()
                } else {
                    two_sig(v).round()
                }
            }
        }
    }
}

/// Properties of [`LogSlider`].
#[derive(Properties, PartialEq, Clone)]
pub struct LogSliderProps {
    /// DOM id (the number field gets `{id}-num`).
    pub id: AttrValue,
    /// Visible label.
    pub label: AttrValue,
    /// Current value.
    pub value: f64,
    /// Slider range (logarithmic).
    pub min: f64,
    /// Slider range (logarithmic).
    pub max: f64,
    /// Accepted typed range (may be wider than the slider's).
    pub typed_min: f64,
    /// Accepted typed range.
    pub typed_max: f64,
    /// Format and snapping.
    pub kind: Kind,
    /// New valid value.
    pub on_change: Callback<f64>,
    /// One line of help under the control.
    #[prop_or_default]
    pub help: Option<AttrValue>,
}

const STEPS: f64 = 480.0;

fn position(v: f64, min: f64, max: f64) -> f64 {
    ((v.clamp(min, max).ln() - min.ln()) / (max.ln() - min.ln()) * STEPS).round()
}

fn value_at(pos: f64, min: f64, max: f64) -> f64 {
    (min.ln() + pos / STEPS * (max.ln() - min.ln())).exp()
}

/// A log-scale slider with an editable number field.
#[function_component(LogSlider)]
pub fn log_slider(p: &LogSliderProps) -> Html {
    // What the user typed, and the error it caused, each tagged with the value it belongs to:
    // once the value changes from elsewhere (the slider, a preset) both are stale and the field
    // shows the new value. Derived at render, not synced by an effect: one render per change.
    let draft_state = use_state(|| None::<(String, f64)>);
    let error_state = use_state(|| None::<(String, f64)>);
    let current = |s: &Option<(String, f64)>| s.as_ref().filter(|(_, v)| *v == p.value).map(|(t, _)| t.clone());
    let draft_text = current(&draft_state).unwrap_or_else(|| p.kind.format(p.value));
    let error = current(&error_state);
    let on_range = {
        let p = p.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(pos) = input.value().parse::<f64>() {
                p.on_change
                    .emit(p.kind.snap(value_at(pos, p.min, p.max)).clamp(p.typed_min, p.typed_max));
            }
        })
    };
    let on_text = {
        let draft = draft_state.clone();
        let value = p.value;
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            draft.set(Some((input.value(), value)));
        })
    };
    // Commits what the field holds (read from the element, so programmatic and typed values
    // behave the same).
    let commit = {
        let p = p.clone();
        let draft = draft_state.clone();
        let error = error_state.clone();
        move |text: String| match parse_number(&text, p.kind.suffixes()) {
            Ok(v) => {
                let v = v.round();
                draft.set(None);
                if v < p.typed_min || v > p.typed_max {
                    let c = v.clamp(p.typed_min, p.typed_max);
                    error.set(Some((
                        format!(
                            "{} is outside {} … {}; using {}",
                            p.kind.format(v),
                            p.kind.format(p.typed_min),
                            p.kind.format(p.typed_max),
                            p.kind.format(c)
                        ),
                        c,
                    )));
                    p.on_change.emit(c);
                } else {
                    error.set(None);
                    p.on_change.emit(v);
                }
            }
            Err(e) => {
                let hint = match (e, p.kind) {
                    (NumberError::Empty, _) => "type a value".to_string(),
                    (e, Kind::Context) => format!("{e}; try 4096, 32k or 1M"),
                    (e, Kind::Count) => format!("{e}; try 7B, 70e9 or 1.5T"),
                    (e, Kind::Integer) => format!("{e}; type a whole number"),
                };
                draft.set(Some((text, p.value)));
                error.set(Some((format!("{hint} (kept {})", p.kind.format(p.value)), p.value)));
            }
        }
    };
    let on_change_text = {
        let commit = commit.clone();
        Callback::from(move |e: Event| commit(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let on_key = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" {
            commit(e.target_unchecked_into::<web_sys::HtmlInputElement>().value());
        }
    });
    let num_id = format!("{}-num", p.id);
    let err_id = format!("{}-err", p.id);
    let help_id = format!("{}-help", p.id);
    let described = match (&error, &p.help) {
        (Some(_), _) => err_id.clone(),
        (None, Some(_)) => help_id.clone(),
        _ => String::new(),
    };
    html! {
        <div class="control slider">
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <div class="slider-row">
                <input type="range" id={p.id.clone()} min="0" max={STEPS.to_string()} step="1"
                    value={position(p.value, p.min, p.max).to_string()}
                    aria-valuetext={p.kind.format(p.value)}
                    oninput={on_range} />
                <input type="text" id={num_id} class={classes!("num", error.is_some().then_some("invalid"))}
                    inputmode="text" autocapitalize="off" autocomplete="off" spellcheck="false"
                    aria-label={format!("{} (type a value)", p.label)}
                    aria-invalid={error.is_some().to_string()}
                    aria-describedby={described}
                    value={draft_text} oninput={on_text} onchange={on_change_text} onkeydown={on_key} />
            </div>
            if let Some(msg) = &error {
                <p class="field-error" id={err_id} role="alert">{ msg.clone() }</p>
            } else if let Some(h) = &p.help {
                <p class="help" id={help_id}>{ h.clone() }</p>
            }
        </div>
    }
}

/// Properties of [`Select`].
#[derive(Properties, PartialEq, Clone)]
pub struct SelectProps {
    /// DOM id.
    pub id: AttrValue,
    /// Visible label.
    pub label: AttrValue,
    /// (value, label) options.
    pub options: Vec<(String, String)>,
    /// Selected value.
    pub value: String,
    /// New value.
    pub on_change: Callback<String>,
    /// One line of help.
    #[prop_or_default]
    pub help: Option<AttrValue>,
    /// Each option's group (an `<optgroup>` around consecutive options of one group); empty:
    /// no groups.
    #[prop_or_default]
    pub groups: Vec<&'static str>,
}

/// A labelled `<select>`.
#[function_component(Select)]
pub fn select(p: &SelectProps) -> Html {
    // An option's `selected` attribute stops choosing once the reader has picked another
    // (the option's dirtiness): the state's value is written to the element itself after
    // each render, so a value the state changed on its own (a model's shipped format) shows.
    let node = use_node_ref();
    {
        let node = node.clone();
        let v = p.value.clone();
        use_effect(move || {
            if let Some(el) = node.cast::<web_sys::HtmlSelectElement>()
                && el.value() != v
            {
                el.set_value(&v);
            }
        });
    }
    let onchange = {
        let cb = p.on_change.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            cb.emit(s.value());
        })
    };
    html! {
        <div class="control select">
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <select id={p.id.clone()} ref={node} {onchange}>
                { for option_runs(&p.groups, p.options.len()).into_iter().map(|(group, range)| {
                    let options: Html = p.options[range].iter().map(|(v, l)| html! {
                        <option value={v.clone()} selected={*v == p.value}>{ l.clone() }</option>
                    }).collect();
                    match group {
                        Some(g) => html! { <optgroup label={g}>{ options }</optgroup> },
                        None => options,
                    }
                }) }
            </select>
            if let Some(h) = &p.help { <p class="help">{ h.clone() }</p> }
        </div>
    }
}

/// The runs of consecutive options in one group: (the group, the options' index range); one
/// run without a group when `groups` does not name each of the `n` options.
fn option_runs(groups: &[&'static str], n: usize) -> Vec<(Option<&'static str>, std::ops::Range<usize>)> {
    if groups.len() != n {
        return vec![(None, 0..n)];
    }
    let mut runs: Vec<(Option<&'static str>, std::ops::Range<usize>)> = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        match runs.last_mut() {
            Some((Some(last), r)) if last == g => r.end = i + 1,
            _ => runs.push((Some(*g), i..i + 1)),
        }
    }
    runs
}

/// Properties of [`NumberField`].
#[derive(Properties, PartialEq, Clone)]
pub struct NumberFieldProps {
    /// DOM id.
    pub id: AttrValue,
    /// Visible label.
    pub label: AttrValue,
    /// Current value.
    pub value: f64,
    /// Accepted range.
    pub min: f64,
    /// Accepted range.
    pub max: f64,
    /// New valid value.
    pub on_change: Callback<f64>,
    /// How the typed text is read (suffixes: `k`, `GB`, `GiB` …).
    #[prop_or(Suffixes::Decimal)]
    pub suffixes: Suffixes,
    /// Whole numbers only.
    #[prop_or(true)]
    pub whole: bool,
    /// The value as the field shows it (default: the whole number).
    #[prop_or_default]
    pub shown: Option<AttrValue>,
    /// One line of help.
    #[prop_or_default]
    pub help: Option<AttrValue>,
}

/// A number field (architecture and parallelism sizes, a GPU's figures) with inline
/// validation: a value it cannot read or out of range is said under it, and the kept value
/// stays.
#[function_component(NumberField)]
pub fn number_field(p: &NumberFieldProps) -> Html {
    let error = use_state(|| None::<String>);
    let onchange = {
        let p = p.clone();
        let error = error.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let shown = p
                .shown
                .as_ref()
                .map_or_else(|| format_int(p.value).replace(',', ""), |t| t.to_string());
            match parse_number(&input.value(), p.suffixes) {
                Ok(v) if (!p.whole || v.fract() == 0.0) && v >= p.min && v <= p.max => {
                    error.set(None);
                    p.on_change.emit(v);
                }
                Ok(_) => {
                    let (lo, hi) = if p.suffixes == Suffixes::Bytes {
                        let gib =
                            |b: f64| crate::estimate::units::format_bytes(b, crate::estimate::units::ByteUnits::Gib);
                        (gib(p.min), gib(p.max))
                    } else {
                        (format_int(p.min), format_int(p.max))
                    };
                    error.set(Some(format!(
                        "{} must be a {}number from {lo} to {hi} (kept {shown})",
                        input.value().trim(),
                        if p.whole { "whole " } else { "" }
                    )));
                    input.set_value(&shown);
                }
                Err(e) => {
                    error.set(Some(format!("{e} (kept {shown})")));
                    input.set_value(&shown);
                }
            }
        })
    };
    // A message about the last value tried goes as soon as the reader types again.
    let oninput = {
        let error = error.clone();
        Callback::from(move |_: InputEvent| {
            if error.is_some() {
                error.set(None);
            }
        })
    };
    let err_id = format!("{}-err", p.id);
    html! {
        <div class="control number">
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <input type="text" inputmode="text" autocapitalize="off" id={p.id.clone()} autocomplete="off"
                class={classes!("num", error.is_some().then_some("invalid"))}
                aria-invalid={error.is_some().to_string()}
                aria-describedby={error.is_some().then(|| err_id.clone())}
                value={p.shown.clone().unwrap_or_else(|| AttrValue::from(format_int(p.value).replace(',', "")))} {onchange} {oninput} />
            if let Some(msg) = &*error { <p class="field-error" id={err_id} role="alert">{ msg.clone() }</p> }
            if let Some(h) = &p.help { <p class="help">{ h.clone() }</p> }
        </div>
    }
}

/// Properties of [`Disclosure`].
#[derive(Properties, PartialEq, Clone)]
pub struct DisclosureProps {
    /// Class of the `<details>` element.
    #[prop_or_default]
    pub class: Classes,
    /// DOM id of the `<details>` element.
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// The always-visible label.
    pub summary: AttrValue,
    /// Open when first shown (a link to the embed builder, `#embed`).
    #[prop_or_default]
    pub initially_open: bool,
    /// Content, built only while open.
    pub children: Html,
}

/// A `<details>` disclosure whose content exists only while it is open, so a closed data table
/// or builder costs nothing when the settings change.
#[function_component(Disclosure)]
pub fn disclosure(p: &DisclosureProps) -> Html {
    let open = use_state(|| p.initially_open);
    let node = use_node_ref();
    {
        // `toggle` does not bubble, so yew's delegated listeners never see it: listen on the
        // element itself.
        let (open, node) = (open.clone(), node.clone());
        use_effect_with((), move |_| {
            let listener = node.cast::<web_sys::HtmlElement>().map(|el| {
                let target = el.clone();
                gloo_events::EventListener::new(&el, "toggle", move |_| open.set(target.has_attribute("open")))
            });
            move || drop(listener)
        });
    }
    html! {
        <details class={p.class.clone()} id={p.id.clone()} ref={node} open={p.initially_open}>
            <summary>{ p.summary.clone() }</summary>
            if *open { { p.children.clone() } }
        </details>
    }
}

/// Properties of [`Term`].
#[derive(Properties, PartialEq, Clone)]
pub struct TermProps {
    /// DOM id of the explanation.
    pub id: AttrValue,
    /// The word or phrase explained (the button's text).
    pub term: AttrValue,
    /// Accessible name of the button when its text is not the term itself (e.g. "?").
    #[prop_or_default]
    pub label: Option<AttrValue>,
    /// The short, plain explanation.
    pub explain: AttrValue,
}

/// A piece of jargon with a plain explanation that a tap, a click or Enter/Space shows and
/// hides (Escape hides it too): a button with `aria-expanded`, not a hover-only tooltip, so it
/// works on phones and from the keyboard.
#[function_component(Term)]
pub fn term(p: &TermProps) -> Html {
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let on_key = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                open.set(false);
            }
        })
    };
    html! {
        <span class="term-wrap">
            <button type="button" class="term" aria-expanded={open.to_string()} aria-controls={p.id.clone()}
                aria-label={p.label.clone()} onclick={toggle} onkeydown={on_key}>{ p.term.clone() }</button>
            <span class="term-def" id={p.id.clone()} role="note" hidden={!*open}>{ p.explain.clone() }</span>
        </span>
    }
}
