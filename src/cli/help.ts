/** The text of `ssekit --help`. docs/cli.md says the same at length. */

/** `ssekit --help`. */
export const HELP = `Usage: ssekit [options] <url>

Connects to a Server-Sent Events stream and prints its events: pretty on a
terminal, one JSON object a line (NDJSON) when stdout is piped. Reconnects
with Last-Event-ID when the connection drops, until Ctrl-C.

Request:
  -X, --method <method>     the HTTP method (default GET, or POST with a body)
  -H, --header <'N: v'>     a request header; repeat for more
  -d, --data <body>         the request body, sent as it is; @file reads a file,
                            @- reads stdin
      --json <body>         a JSON body (checked), with Content-Type:
                            application/json; @file and @- as for --data
      --last-event-id <id>  resume after this event (the Last-Event-ID header)

Connection:
      --no-reconnect        stop at the first end or failure of the stream
      --idle-timeout <ms>   reconnect when nothing arrives for this long
      --max-events <n>      stop after n events

Output:
  -o, --output <format>     pretty, ndjson or raw (the data of each event
                            only); default: pretty on a terminal, else ndjson
  -h, --help                show this help
  -V, --version             show the version

Connection state, reconnections and errors go to stderr. Colours only on a
terminal, and never with NO_COLOR set.

Exit codes: 0 the stream ended (or --max-events reached), 1 an error ended it,
2 a usage error, 130 interrupted (Ctrl-C).

Examples:
  ssekit https://example.com/events
  ssekit localhost:3000/events | jq -r .data
  ssekit -H 'Authorization: Bearer abc' --json '{"prompt":"hi"}' https://example.com/chat
`;
