package etcdtest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// httpClient asks the members; no keep-alive, so a killed member costs a refused connection, not
// a request that waits on a dead socket.
var httpClient = &http.Client{Timeout: requestTimeout, Transport: &http.Transport{DisableKeepAlives: true}}

// Health asks member i's /health: nil when it answers {"health":"true"}, which etcd only says
// when the member has a leader and a quorum read through it succeeds.
func (c *Cluster) Health(i int) error {
	resp, err := httpClient.Get("http://" + c.Endpoint(i) + "/health")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var h struct {
		Health string `json:"health"`
		Reason string `json:"reason"`
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, &h); err != nil {
		return fmt.Errorf("/health: HTTP %d, %.200q", resp.StatusCode, body)
	}
	if h.Health != "true" {
		return fmt.Errorf("/health: %s %s", h.Health, h.Reason)
	}
	return nil
}

// Put writes key=value through member i (the v3 JSON gateway, POST /v3/kv/put); it returns once
// the cluster has committed it.
func (c *Cluster) Put(i int, key, value string) error {
	return c.call(i, "/v3/kv/put", map[string]string{"key": b64(key), "value": b64(value)}, nil)
}

// Get reads key through member i (POST /v3/kv/range, linearizable): its value and whether it is
// there.
func (c *Cluster) Get(i int, key string) (string, bool, error) {
	var r struct {
		Kvs []struct {
			Value []byte `json:"value"` // base64 in the JSON, decoded by encoding/json
		} `json:"kvs"`
	}
	if err := c.call(i, "/v3/kv/range", map[string]string{"key": b64(key)}, &r); err != nil {
		return "", false, err
	}
	if len(r.Kvs) == 0 {
		return "", false, nil
	}
	return string(r.Kvs[0].Value), true, nil
}

func (c *Cluster) call(i int, path string, req any, answer any) error {
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	resp, err := httpClient.Post("http://"+c.Endpoint(i)+path, "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s on member %d: HTTP %d %.300s", path, i, resp.StatusCode, body)
	}
	if answer == nil {
		return nil
	}
	return json.Unmarshal(body, answer)
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// Leader is the index of the member that leads the cluster now, as the running members report it
// (POST /v3/maintenance/status): a test kills it for the harshest failover.
func (c *Cluster) Leader() (int, error) {
	ids := map[string]int{}
	leader := ""
	for i := range c.members {
		if !c.Running(i) {
			continue
		}
		var st struct {
			Header struct {
				MemberID string `json:"member_id"` // uint64 as a JSON string (grpc-gateway)
			} `json:"header"`
			Leader string `json:"leader"`
		}
		if err := c.call(i, "/v3/maintenance/status", map[string]string{}, &st); err != nil {
			continue // a member that does not answer is not the leader anyone can use
		}
		ids[st.Header.MemberID] = i
		if st.Leader != "" && st.Leader != "0" {
			leader = st.Leader
		}
	}
	if i, ok := ids[leader]; ok {
		return i, nil
	}
	return -1, fmt.Errorf("no running member reports a leader among the answering members (leader %q)", leader)
}
