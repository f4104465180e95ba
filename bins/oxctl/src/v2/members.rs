//! etcd's v2 members API (`client/members.go`): list, leader, add, remove, update.

use std::time::Instant;

use serde_json::Value;

use super::client::{Action, Client, Target};
use super::error::V2Error;
use super::url;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub peer_urls: Vec<String>,
    pub client_urls: Vec<String>,
}

/// Go's `json.Unmarshal` matches field names without regard to case.
pub(super) fn field<'a>(
    object: &'a serde_json::Map<String, Value>,
    name: &str,
) -> Option<&'a Value> {
    object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn member(value: &Value) -> Member {
    let Some(object) = value.as_object() else {
        return Member::default();
    };
    let text = |name: &str| {
        field(object, name)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    Member {
        id: text("id"),
        name: text("name"),
        peer_urls: strings(field(object, "peerURLs")),
        client_urls: strings(field(object, "clientURLs")),
    }
}

pub(super) fn json(body: &[u8]) -> Result<Value, V2Error> {
    serde_json::from_slice(body).map_err(|e| V2Error::other(go_json_error(&e)))
}

/// A JSON syntax error in roughly the words of Go's decoder.
fn go_json_error(err: &serde_json::Error) -> String {
    if err.is_eof() {
        "unexpected end of JSON input".to_string()
    } else {
        format!("invalid character looking for beginning of value ({err})")
    }
}

pub(super) fn assert_status(got: u16, want: &[u16]) -> Result<(), V2Error> {
    if want.contains(&got) {
        Ok(())
    } else {
        Err(V2Error::other(format!("unexpected status code {got}")))
    }
}

/// `membersError`: etcd's `{"message": ...}`.
fn members_error(body: &[u8]) -> V2Error {
    match json(body) {
        Ok(Value::Object(object)) => V2Error::other(
            field(&object, "message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        ),
        Ok(_) => V2Error::other("json: cannot unmarshal into Go value of type client.membersError"),
        Err(err) => err,
    }
}

pub async fn list(client: &mut Client, deadline: Option<Instant>) -> Result<Vec<Member>, V2Error> {
    let answer = client
        .call(
            &Action::get(Target::Members(String::new()), String::new()),
            deadline,
        )
        .await?;
    assert_status(answer.status, &[200])?;
    let value = json(&answer.body)?;
    let members = value
        .as_object()
        .and_then(|o| field(o, "members"))
        .and_then(Value::as_array)
        .map(|items| items.iter().map(member).collect())
        .unwrap_or_default();
    Ok(members)
}

/// `Client.Sync`: the members' client URLs become the client's endpoints.
pub async fn sync(client: &mut Client, deadline: Instant) -> Result<(), V2Error> {
    let urls: Vec<String> = list(client, Some(deadline))
        .await?
        .into_iter()
        .flat_map(|m| m.client_urls)
        .collect();
    if urls.is_empty() {
        return Err(V2Error::other("client: no endpoints available"));
    }
    let mut parsed = Vec::new();
    for u in &urls {
        parsed.push(url::parse_endpoint(u).map_err(V2Error::other)?);
    }
    client.replace_endpoints(parsed);
    Ok(())
}

pub async fn leader(client: &mut Client, deadline: Option<Instant>) -> Result<Member, V2Error> {
    let answer = client
        .call(
            &Action::get(Target::Members("leader".to_string()), String::new()),
            deadline,
        )
        .await?;
    assert_status(answer.status, &[200])?;
    Ok(member(&json(&answer.body)?))
}

/// `types.NewURLs`: every URL `scheme://host:port` with a known scheme and no path; sorted.
pub fn peer_urls(texts: &[String]) -> Result<Vec<String>, V2Error> {
    if texts.is_empty() {
        return Err(V2Error::other("no valid URLs given"));
    }
    let mut urls = Vec::new();
    for text in texts {
        let text = text.trim();
        let parsed = url::parse_endpoint(text).map_err(V2Error::other)?;
        if !["http", "https", "unix", "unixs"].contains(&parsed.scheme.as_str()) {
            return Err(V2Error::other(format!(
                "URL scheme must be http, https, unix, or unixs: {text}"
            )));
        }
        let has_port = parsed
            .host
            .rsplit_once(':')
            .is_some_and(|(host, _)| !host.is_empty() || parsed.host.starts_with(':'));
        if !has_port {
            return Err(V2Error::other(format!(
                "URL address does not have the form \"host:port\": {text}"
            )));
        }
        if !parsed.path.is_empty() {
            return Err(V2Error::other(format!(
                "URL must not contain a path: {text}"
            )));
        }
        urls.push(parsed.text);
    }
    urls.sort();
    Ok(urls)
}

fn urls_body(urls: &[String]) -> Vec<u8> {
    let items: Vec<String> = urls
        .iter()
        .map(|u| crate::output::json::string(u.as_bytes()))
        .collect();
    format!("{{\"peerURLs\":[{}]}}", items.join(",")).into_bytes()
}

pub async fn add(
    client: &mut Client,
    peer_url: &str,
    deadline: Option<Instant>,
) -> Result<Member, V2Error> {
    let urls = peer_urls(&[peer_url.to_string()])?;
    let action = Action {
        method: "POST",
        target: Target::Members(String::new()),
        query: String::new(),
        content_type: Some("application/json"),
        body: Some(urls_body(&urls)),
        wait: false,
        one_shot: false,
    };
    let answer = client.call(&action, deadline).await?;
    assert_status(answer.status, &[201, 409])?;
    if answer.status != 201 {
        return Err(members_error(&answer.body));
    }
    Ok(member(&json(&answer.body)?))
}

pub async fn remove(
    client: &mut Client,
    id: &str,
    deadline: Option<Instant>,
) -> Result<(), V2Error> {
    let action = Action {
        method: "DELETE",
        ..Action::get(Target::Members(id.to_string()), String::new())
    };
    let answer = client.call(&action, deadline).await?;
    assert_status(answer.status, &[204, 410])
}

pub async fn update(
    client: &mut Client,
    id: &str,
    peer_urls_text: &[String],
    deadline: Option<Instant>,
) -> Result<(), V2Error> {
    let urls = peer_urls(peer_urls_text)?;
    let action = Action {
        method: "PUT",
        target: Target::Members(id.to_string()),
        query: String::new(),
        content_type: Some("application/json"),
        body: Some(urls_body(&urls)),
        wait: false,
        one_shot: false,
    };
    let answer = client.call(&action, deadline).await?;
    assert_status(answer.status, &[204, 404, 409])?;
    if answer.status != 204 {
        return Err(members_error(&answer.body));
    }
    Ok(())
}
