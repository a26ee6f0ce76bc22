package shell

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// stagedType is the only data node type staging handles (objects.md
// §15.4).
const stagedType = "S3DataNode"

// staging is the data staged around one command.
type staging struct {
	env     []string
	outputs []stagedOutput
}

// stagedOutput is an output staging directory and where it goes.
type stagedOutput struct {
	name, dir, target string
}

// environ returns the staging variables; nil staging has none.
func (s *staging) environ() []string {
	if s == nil {
		return nil
	}
	return s.env
}

// prepareStaging copies the inputs into work and creates the output
// directories, before the command runs. Every path is checked first, so
// that an unsupported output fails the attempt before any work is done.
func prepareStaging(t *activity.Task, work string, env *activity.Env) (*staging, error) {
	inputs, err := t.Refs("input")
	if err != nil {
		return nil, err
	}
	outputs, err := t.Refs("output")
	if err != nil {
		return nil, err
	}
	s := &staging{}
	if err := s.planOutputs(outputs, work, env); err != nil {
		return nil, err
	}
	for i, n := range inputs {
		if err := s.stageInput(i+1, n, work, env); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// stageInput copies input node n into INPUTn_STAGING_DIR.
func (s *staging) stageInput(num int, node pipeline.Object, work string, env *activity.Env) error {
	if !staged(num, "input", node, env) {
		return nil
	}
	src, err := nodePath(node)
	if err != nil {
		return err
	}
	dir := filepath.Join(work, "staging", fmt.Sprintf("input%d", num))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return stagingErr("input", num, node, err)
	}
	env.Printf("staging input%d (%s) from %s", num, node.ID, src)
	if err := copyInto(src, dir); err != nil {
		return stagingErr("input", num, node, err)
	}
	s.env = append(s.env, fmt.Sprintf("INPUT%d_STAGING_DIR=%s", num, dir))
	return nil
}

// planOutputs creates OUTPUTn_STAGING_DIR for every staged output.
func (s *staging) planOutputs(nodes []pipeline.Object, work string, env *activity.Env) error {
	for i, node := range nodes {
		num := i + 1
		if !staged(num, "output", node, env) {
			continue
		}
		target, err := outputPath(node)
		if err != nil {
			return err
		}
		dir := filepath.Join(work, "staging", fmt.Sprintf("output%d", num))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return stagingErr("output", num, node, err)
		}
		s.env = append(s.env, fmt.Sprintf("OUTPUT%d_STAGING_DIR=%s", num, dir))
		s.outputs = append(s.outputs, stagedOutput{name: fmt.Sprintf("output%d (%s)", num, node.ID), dir: dir, target: target})
	}
	return nil
}

// publish copies every output staging directory into its node's
// directoryPath, after the command succeeded.
func (s *staging) publish(env *activity.Env) error {
	for _, o := range s.outputs {
		env.Printf("publishing %s to %s", o.name, o.target)
		if err := copyTree(o.dir, o.target); err != nil {
			return activity.Errorf(IDStagingFailed, "publish %s to %s: %v", o.name, o.target, err)
		}
	}
	return nil
}

// staged reports whether a node is staged, noting in the log when not.
func staged(num int, role string, node pipeline.Object, env *activity.Env) bool {
	if node.Type() == stagedType {
		return true
	}
	env.Printf("%s%d (%s) is a %s: only %s nodes are staged", role, num, node.ID, node.Type(), stagedType)
	return false
}

// nodePath is an input node's local directoryPath, else its filePath.
func nodePath(node pipeline.Object) (string, error) {
	if dir, ok := node.StringValue("directoryPath"); ok && dir != "" {
		return activity.LocalPath(node.ID+".directoryPath", dir)
	}
	if file, ok := node.StringValue("filePath"); ok && file != "" {
		return activity.LocalPath(node.ID+".filePath", file)
	}
	return "", activity.Errorf(IDStagingFailed, "data node %s has neither directoryPath nor filePath to stage", node.ID)
}

// outputPath is an output node's local directoryPath, which output
// staging requires.
func outputPath(node pipeline.Object) (string, error) {
	dir, ok := node.StringValue("directoryPath")
	if !ok || dir == "" {
		return "", activity.Errorf(IDStagingFailed, "output staging needs a directoryPath on data node %s", node.ID)
	}
	return activity.LocalPath(node.ID+".directoryPath", dir)
}

// stagingErr is a StagingFailed error for one node.
func stagingErr(role string, num int, node pipeline.Object, err error) error {
	return activity.Errorf(IDStagingFailed, "stage %s%d (%s): %v", role, num, node.ID, err)
}
