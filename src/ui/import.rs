//! Paste or drop a Hugging Face config.json: the importer's result (what was read, what was
//! assumed, or every problem) is shown as text, and a good config becomes a custom model.

use yew::prelude::*;

use crate::estimate::hf_config;
use crate::estimate::units::format_count;
use crate::state::Action;

/// Properties of [`ConfigImport`].
#[derive(Properties, PartialEq, Clone)]
pub struct ImportProps {
    /// Sends the imported model.
    pub dispatch: Callback<Action>,
}

/// What the last attempt produced.
#[derive(Clone, PartialEq)]
enum Outcome {
    Ok {
        name: String,
        params: f64,
        read: usize,
        assumed: Vec<String>,
    },
    Err(Vec<String>),
}

fn run(text: &str, dispatch: &Callback<Action>) -> Outcome {
    match hf_config::import(text) {
        Ok(imported) => {
            let params = imported.arch.param_count().total;
            let name = imported.name.clone().unwrap_or_else(|| "custom model".to_string());
            dispatch.emit(Action::ImportArch {
                overrides: imported.overrides(),
                name: imported.name.clone(),
                warnings: Vec::new(),
            });
            Outcome::Ok {
                name,
                params,
                read: imported.read.len(),
                assumed: imported.assumed,
            }
        }
        Err(errors) => Outcome::Err(errors),
    }
}

/// The paste / drop / file box.
#[function_component(ConfigImport)]
pub fn config_import(p: &ImportProps) -> Html {
    let text = use_node_ref();
    let outcome = use_state(|| None::<Outcome>);
    let on_import = {
        let text = text.clone();
        let outcome = outcome.clone();
        let d = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(t) = text.cast::<web_sys::HtmlTextAreaElement>() {
                outcome.set(Some(run(&t.value(), &d)));
            }
        })
    };
    let read_file = {
        let outcome = outcome.clone();
        let text = text.clone();
        let d = p.dispatch.clone();
        move |file: web_sys::File| {
            if file.size() > hf_config::MAX_BYTES as f64 {
                outcome.set(Some(Outcome::Err(vec![format!(
                    "{} is {:.1} MB; a config.json is a few kilobytes",
                    file.name(),
                    file.size() / 1e6
                )])));
                return;
            }
            let outcome = outcome.clone();
            let text = text.clone();
            let d = d.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                let s = result.ok().and_then(|v| v.as_string()).unwrap_or_default();
                if let Some(t) = text.cast::<web_sys::HtmlTextAreaElement>() {
                    t.set_value(&s);
                }
                outcome.set(Some(run(&s, &d)));
            });
        }
    };
    let on_file = {
        let read_file = read_file.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                read_file(f);
            }
        })
    };
    let on_drop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        if let Some(f) = e.data_transfer().and_then(|d| d.files()).and_then(|l| l.get(0)) {
            read_file(f);
        }
    });
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    html! {
        <div class="import" ondrop={on_drop} ondragover={on_drag_over}>
            <label for="config-json">{ "Paste or drop a Hugging Face config.json" }</label>
            <textarea id="config-json" ref={text} rows="5" spellcheck="false"
                placeholder="{ \"model_type\": \"llama\", \"hidden_size\": 4096, … }" />
            <div class="row">
                <button type="button" onclick={on_import}>{ "Use this config" }</button>
                <label class="file">{ "or choose a file " }<input type="file" accept=".json,application/json" onchange={on_file} /></label>
            </div>
            { match &*outcome {
                Some(Outcome::Ok { name, params, read, assumed }) => html! {
                    <div class="import-result ok" role="status" data-testid="import-result">
                        <p>{ format!("Imported {name}: {} parameters from {read} fields.", format_count(*params)) }</p>
                        if !assumed.is_empty() {
                            <p>{ "Assumed:" }</p>
                            <ul>{ for assumed.iter().map(|a| html! { <li>{ a.clone() }</li> }) }</ul>
                        }
                    </div>
                },
                Some(Outcome::Err(errors)) => html! {
                    <div class="import-result bad" role="alert" data-testid="import-result">
                        <p>{ "That config could not be used:" }</p>
                        <ul>{ for errors.iter().map(|e| html! { <li>{ e.clone() }</li> }) }</ul>
                    </div>
                },
                None => html! {},
            } }
        </div>
    }
}
