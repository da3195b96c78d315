/**
 * The claims catalog: what learners believe about Swarm, each with the verdict the model must compute.
 *
 * Sources are the study notes the project started from (shared/seeds, cited as file and line) and
 * classic misconceptions heard in DCA exam preparation. `expected` is the verdict we believe from
 * SwarmKit's code; the study runner recomputes each verdict from the model and a test fails when the
 * model disagrees, so this table cannot drift from the model silently.
 *
 * Verdicts: `true` (the model confirms it; the card shows a witness run), `false` (a counterexample
 * exists), `imprecise` (true only under conditions the claim leaves out; the card shows the condition).
 */

export type Verdict = 'true' | 'false' | 'imprecise';
export type Topic =
  | 'services'
  | 'tasks'
  | 'nodes'
  | 'scheduling'
  | 'managers'
  | 'updates'
  | 'secrets'
  | 'networking';

export interface Claim {
  id: string;
  /** `seeds/FILE:LINE` for a note, or `misconception` for a classic belief. */
  source: string;
  topic: Topic;
  /** The claim as a learner would state it (paraphrased, short). */
  claim: string;
  expected: Verdict;
  /** What is actually true, in one or two sentences. */
  correction: string;
  /** Where SwarmKit decides it: `moby/swarmkit:path (Func)` or a docs page. */
  citation: string;
}

const S0 = 'seeds/000_a4e70e65709a51e1.txt';
const S1 = 'seeds/001_3cb25508ac8c6b06.txt';
const S2 = 'seeds/002_48cf33d73b92ae34.txt';
const S3 = 'seeds/003_90dadd61d34ed3df.txt';
const S4 = 'seeds/004_6d592cbee23311c3.txt';

export const claims: Claim[] = [
  // ---- services and tasks -------------------------------------------------------------------
  {
    id: 'service-keeps-n-containers',
    source: `${S0}:7`,
    topic: 'services',
    claim: 'A service makes Docker keep its number of containers running at any time.',
    expected: 'imprecise',
    correction:
      'The orchestrator keeps R slots occupied. A slot whose last task may not be restarted (restart condition none, on-failure after exit 0, max attempts used) stays occupied by a dead task, so fewer containers run.',
    citation: 'moby/swarmkit:manager/orchestrator/replicated/slot.go (updatableAndDeadSlots)',
  },
  {
    id: 'task-unit-of-work',
    source: `${S0}:8`,
    topic: 'tasks',
    claim: 'A task is the unit of work Swarm creates to fulfil the desired state.',
    expected: 'true',
    correction:
      'Each replica slot is filled by a task record created by an orchestrator; the agent runs its container.',
    citation: 'moby/swarmkit:manager/orchestrator/task.go (NewTask)',
  },
  {
    id: 'global-every-node',
    source: `${S0}:11`,
    topic: 'services',
    claim: 'A global service runs exactly one task on every node in the cluster.',
    expected: 'false',
    correction:
      'One task per node that is not drained, not down and satisfies the placement constraints. Drained nodes get none; paused nodes keep theirs but get no new one.',
    citation: 'moby/swarmkit:manager/orchestrator/global/global.go (reconcileServices, updateNode)',
  },
  {
    id: 'global-no-replicas-flag',
    source: `${S0}:12`,
    topic: 'services',
    claim: 'You do not pass --replicas to a global service.',
    expected: 'true',
    correction:
      'The CLI refuses --replicas with --mode global: "replicas can only be used with replicated mode".',
    citation: 'docker/cli: cli/command/service/opts.go (ToServiceMode)',
  },
  {
    id: 'replicated-exact-count',
    source: `${S0}:13`,
    topic: 'services',
    claim: 'A replicated service runs exactly the number of replicas you specify.',
    expected: 'imprecise',
    correction:
      'It keeps R slots. Temporarily more tasks run (a node that went down still runs its old task), and permanently fewer when the restart policy forbids replacing a dead slot or no node fits.',
    citation: 'moby/swarmkit:manager/orchestrator/replicated/services.go (reconcile)',
  },
  {
    id: 'replicated-many-per-node',
    source: `${S0}:13`,
    topic: 'scheduling',
    claim: 'A replicated service can place several of its tasks on the same node.',
    expected: 'true',
    correction: 'With one eligible node, all replicas go there, unless --replicas-max-per-node limits it.',
    citation: 'moby/swarmkit:manager/scheduler/scheduler.go (scheduleNTasksOnNodes)',
  },
  {
    id: 'task-is-container',
    source: `${S2}:6`,
    topic: 'tasks',
    claim: 'A task is a running container.',
    expected: 'false',
    correction:
      'A task is a store record for one execution attempt of a slot. It exists before any container (new, pending, assigned) and after it (kept as history up to the retention limit).',
    citation: 'moby/swarmkit:api/types.proto (Task); design/task_model.md',
  },
  {
    id: 'task-never-moves',
    source: `${S2}:37`,
    topic: 'tasks',
    claim: 'Once assigned to a node, a task cannot move; it can only run there or fail.',
    expected: 'imprecise',
    correction:
      "It never moves, but it can also end complete, shutdown, rejected (also by the manager's constraint enforcer) or orphaned; a replacement is always a new task.",
    citation: 'moby/swarmkit:manager/orchestrator/constraintenforcer (rejectNoncompliantTasks)',
  },
  {
    id: 'task-lifecycle-assigned-prepared-running',
    source: `${S4}:74`,
    topic: 'tasks',
    claim: 'A task goes one way: assigned → prepared → running.',
    expected: 'imprecise',
    correction:
      'One way, yes, but the states are new → pending → assigned → accepted → preparing → ready → starting → running, then complete, shutdown, failed, rejected or orphaned. "prepared" is not a state.',
    citation: 'moby/swarmkit:api/types.proto (enum TaskState)',
  },
  {
    id: 'failed-task-restarts-in-place',
    source: 'misconception',
    topic: 'tasks',
    claim: 'When a container fails, Swarm restarts the same task.',
    expected: 'false',
    correction:
      'The failed task is kept as history (desired shutdown) and the restart supervisor creates a new task in the same slot, after the restart delay; the scheduler may put it on another node.',
    citation: 'moby/swarmkit:manager/orchestrator/restart/restart.go (Restart)',
  },
  {
    id: 'history-five-plus-current',
    source: 'misconception',
    topic: 'tasks',
    claim: 'Swarm keeps 5 old tasks per slot in addition to the running one.',
    expected: 'false',
    correction:
      'The limit (default 5) counts every task of the slot, the current one included: 4 old tasks are kept.',
    citation: 'moby/swarmkit:manager/orchestrator/taskreaper/task_reaper.go (tick)',
  },
  {
    id: 'replicas-create-exact-per-scale',
    source: `${S2}:36`,
    topic: 'scheduling',
    claim: 'Manager nodes assign tasks to workers according to the number of replicas in the scale.',
    expected: 'imprecise',
    correction:
      "The orchestrator decides how many tasks exist; the leader's scheduler picks nodes by filters and spread (fewest tasks of the service, then fewest tasks overall), managers included.",
    citation: 'moby/swarmkit:manager/scheduler/scheduler.go (scheduleTaskGroup)',
  },
  {
    id: 'scheduler-worker-nodes-only',
    source: `${S0}:27`,
    topic: 'scheduling',
    claim: 'The scheduler assigns tasks to worker nodes and is run by the manager nodes.',
    expected: 'imprecise',
    correction:
      'It runs only on the Raft leader, and assigns to any eligible node, managers included (managers are workers unless drained).',
    citation: 'moby/swarmkit:manager/manager.go (becomeLeader)',
  },
  {
    id: 'managers-are-workers',
    source: `${S4}:60`,
    topic: 'scheduling',
    claim: 'By default, all managers are also workers.',
    expected: 'true',
    correction:
      'A manager with availability active receives tasks like any worker; drain it to keep it for management only.',
    citation: 'moby/swarmkit:manager/scheduler/filter.go (ReadyFilter)',
  },
  {
    id: 'controller-enforces-desired-state',
    source: `${S0}:29`,
    topic: 'services',
    claim: 'A "controller" in the manager enforces the desired state.',
    expected: 'false',
    correction:
      'The orchestrators (replicated, global) with the restart supervisor, updater, constraint enforcer and task reaper enforce it; "controller" in SwarmKit is the agent-side executor of one task.',
    citation: 'moby/swarmkit:manager/orchestrator/replicated/replicated.go; agent/exec/controller.go',
  },
  {
    id: 'service-status-pending-stopped',
    source: `${S4}:84`,
    topic: 'services',
    claim: 'A service has a status such as pending or stopped.',
    expected: 'false',
    correction:
      'A service has an update status (updating, paused, completed, rollback_started, rollback_paused, rollback_completed); "pending" is a task state.',
    citation: 'moby/swarmkit:api/types.proto (UpdateStatus)',
  },
  {
    id: 'global-with-replicas',
    source: `${S4}:103`,
    topic: 'services',
    claim:
      '`docker service create --name m-web --replicas 3 --mode global alpine top` creates a global service.',
    expected: 'false',
    correction: 'The CLI refuses it: "replicas can only be used with replicated mode".',
    citation: 'docker/cli: cli/command/service/opts.go (ToServiceMode)',
  },
  {
    id: 'scale-down-removes-newest',
    source: 'misconception',
    topic: 'services',
    claim: 'Scaling down removes the most recently created tasks.',
    expected: 'false',
    correction:
      'The orchestrator removes unassigned slots first, then the highest per-node copies (nodes with the most replicas lose first), non-running before running, higher slot numbers first.',
    citation: 'moby/swarmkit:manager/orchestrator/replicated/services.go (reconcile)',
  },
  // ---- nodes -----------------------------------------------------------------------------------
  {
    id: 'drain-reschedules-tasks',
    source: `${S1}:67`,
    topic: 'nodes',
    claim: 'Draining a node reschedules its tasks to other nodes.',
    expected: 'false',
    correction:
      "Tasks never move: the drained node's tasks are shut down, and a new task is created elsewhere for a replicated slot only if the restart policy allows it; global tasks are not replaced.",
    citation: 'moby/swarmkit:manager/orchestrator/restart/restart.go (Restart, shouldRestart)',
  },
  {
    id: 'drain-restart-none-not-replaced',
    source: 'misconception',
    topic: 'nodes',
    claim: "With --restart-condition none, a drained node's replicas are still replaced elsewhere.",
    expected: 'false',
    correction:
      'Drain goes through the restart supervisor, which refuses to restart under condition none: the slot stays empty.',
    citation: 'moby/swarmkit:manager/orchestrator/restart/restart.go (shouldRestart); moby/moby#32979',
  },
  {
    id: 'drain-waits-restart-delay',
    source: 'misconception',
    topic: 'nodes',
    claim: "Replacements for a drained node's tasks wait for the restart delay.",
    expected: 'false',
    correction:
      "The restart delay is 0 when the old task's node is drained; the replacement starts once the old task has stopped.",
    citation: 'moby/swarmkit:manager/orchestrator/restart/restart.go (Restart)',
  },
  {
    id: 'pause-keeps-tasks',
    source: `${S1}:68`,
    topic: 'nodes',
    claim: 'Pause: no new tasks, but existing ones stay.',
    expected: 'true',
    correction: 'Correct; also, a replicated task that fails on a paused node is replaced on another node.',
    citation: 'moby/swarmkit:manager/scheduler/filter.go (ReadyFilter); orchestrator/task.go (InvalidNode)',
  },
  {
    id: 'pause-stops-tasks',
    source: 'misconception',
    topic: 'nodes',
    claim: 'Pausing a node stops the tasks running on it.',
    expected: 'false',
    correction: 'Pause only keeps the scheduler from placing new tasks there; running tasks keep running.',
    citation: 'moby/swarmkit:manager/orchestrator/task.go (InvalidNode)',
  },
  {
    id: 'active-can-run',
    source: `${S1}:69`,
    topic: 'nodes',
    claim: 'An active node can receive tasks.',
    expected: 'true',
    correction: "If it is also READY (heartbeating) and passes the service's filters.",
    citation: 'moby/swarmkit:manager/scheduler/filter.go (ReadyFilter)',
  },
  {
    id: 'availability-two-values',
    source: `${S4}:61`,
    topic: 'nodes',
    claim: 'Node availability is Drain or Active.',
    expected: 'imprecise',
    correction: 'There are three: active, pause and drain.',
    citation: 'moby/swarmkit:api/specs.proto (NodeSpec.Availability)',
  },
  {
    id: 'node-status-active-pause-drain',
    source: `${S4}:80`,
    topic: 'nodes',
    claim: 'Node status is active, pause or drain.',
    expected: 'false',
    correction:
      'Those are availability values set by the user. Status is observed by the dispatcher: unknown, ready, down, disconnected.',
    citation: 'moby/swarmkit:api/types.proto (NodeStatus)',
  },
  {
    id: 'add-node-rebalances',
    source: 'misconception',
    topic: 'scheduling',
    claim: 'Adding a node moves some existing tasks onto it.',
    expected: 'false',
    correction:
      'The orchestrator never rebalances; only new tasks (scale-up, restarts, updates) can land on the new node.',
    citation: 'moby/swarmkit:manager/orchestrator/replicated/services.go (reconcile)',
  },
  {
    id: 'node-down-orphaned-at-once',
    source: 'misconception',
    topic: 'nodes',
    claim: 'Tasks on a node that goes down are orphaned at once.',
    expected: 'false',
    correction:
      'The node goes DOWN after 3 missed heartbeats; its replicated tasks get desired shutdown and replacements (after the restart delay); only 24 h later does the dispatcher mark them orphaned.',
    citation: 'moby/swarmkit:manager/dispatcher/dispatcher.go (moveTasksToOrphaned, defaultNodeDownPeriod)',
  },
  {
    id: 'global-down-replaced-elsewhere',
    source: 'misconception',
    topic: 'services',
    claim: 'When a node goes down, its global task is started on another node.',
    expected: 'false',
    correction:
      'A global task belongs to its node: it is shut down with no replacement, and recreated when the node is back.',
    citation: 'moby/swarmkit:manager/orchestrator/global/global.go (reconcileOneNode)',
  },
  // ---- scheduling ------------------------------------------------------------------------------
  {
    id: 'spread-by-resources',
    source: 'misconception',
    topic: 'scheduling',
    claim: 'The scheduler puts a task on the node with the most free CPU and memory.',
    expected: 'false',
    correction:
      'Reservations only filter nodes; ranking is by fewest tasks of the service, then fewest tasks overall.',
    citation: 'moby/swarmkit:manager/scheduler/scheduler.go (scheduleTaskGroup: nodeLess)',
  },
  {
    id: 'placement-pref-by-node-count',
    source: 'misconception',
    topic: 'scheduling',
    claim: 'A spread placement preference gives more tasks to label values with more nodes.',
    expected: 'false',
    correction: 'Each label value gets an equal share, however many nodes carry it.',
    citation: 'moby/swarmkit:manager/scheduler/scheduler.go (scheduleNTasksOnSubtree)',
  },
  {
    id: 'unsatisfiable-constraint-fails',
    source: 'misconception',
    topic: 'scheduling',
    claim: 'A service whose constraint no node satisfies is rejected at creation.',
    expected: 'false',
    correction:
      'It is accepted; its tasks stay pending with "no suitable node (scheduling constraints not satisfied on N nodes)".',
    citation: 'moby/swarmkit:manager/scheduler/scheduler.go (noSuitableNode)',
  },
  {
    id: 'host-port-shared',
    source: 'misconception',
    topic: 'networking',
    claim: 'Two replicas publishing the same host-mode port can run on the same node.',
    expected: 'false',
    correction:
      "The scheduler's host-port filter allows one task per node per host-mode published port; extra replicas stay pending.",
    citation: 'moby/swarmkit:manager/scheduler/filter.go (HostPortFilter)',
  },
  // ---- managers and Raft -----------------------------------------------------------------------
  {
    id: 'all-managers-agree',
    source: `${S1}:31`,
    topic: 'managers',
    claim: 'All managers must agree before the state changes.',
    expected: 'false',
    correction:
      'A majority (⌊N/2⌋+1) of the managers must store a write before the leader commits it; the rest may be down.',
    citation: 'etcd-raft:quorum/majority.go (CommittedIndex)',
  },
  {
    id: 'one-leader',
    source: `${S1}:32`,
    topic: 'managers',
    claim: 'One manager becomes the leader; the others follow.',
    expected: 'true',
    correction: 'At most one leader per Raft term (Election Safety).',
    citation: 'etcd-raft:raft.go (Step, becomeLeader)',
  },
  {
    id: 'majority-decides',
    source: `${S1}:33`,
    topic: 'managers',
    claim: 'A majority of managers must be available to make decisions.',
    expected: 'true',
    correction: 'Without a majority no leader is elected and every control-plane call fails.',
    citation: 'moby/swarmkit:manager/state/raft/raft.go (LeaderConn)',
  },
  {
    id: 'quorum-preserves-state',
    source: `${S1}:34`,
    topic: 'managers',
    claim: 'If a manager goes offline, cluster state is preserved as long as quorum remains.',
    expected: 'imprecise',
    correction:
      'Quorum decides whether writes are possible, not whether state survives: committed state stays on disk without quorum and can be recovered with --force-new-cluster.',
    citation: 'moby/swarmkit:manager/state/raft/storage.go (loadAndStart)',
  },
  {
    id: 'vote-latest-committed',
    source: `${S1}:35`,
    topic: 'managers',
    claim: 'Managers elect the node with the latest committed entries.',
    expected: 'imprecise',
    correction:
      "A voter compares the candidate's last log entry (term, then index), committed or not, and grants one vote per term; the first to time out usually wins. The winner holds every committed entry.",
    citation: 'etcd-raft:log.go (isUpToDate)',
  },
  {
    id: 'control-plane-everywhere',
    source: `${S1}:36`,
    topic: 'managers',
    claim: 'Every manager runs the orchestrator, scheduler, dispatcher and allocator.',
    expected: 'false',
    correction:
      'Only the leader runs them; other managers hold a store replica and forward API calls to the leader.',
    citation: 'moby/swarmkit:manager/manager.go (becomeLeader, becomeFollower)',
  },
  {
    id: 'leader-conducts-orchestration',
    source: `${S2}:16`,
    topic: 'managers',
    claim: 'Manager nodes elect a single leader to conduct orchestration.',
    expected: 'true',
    correction: 'The orchestrators, scheduler and dispatcher run only on the leader.',
    citation: 'moby/swarmkit:manager/manager.go (becomeLeader)',
  },
  {
    id: 'tolerance-n-minus-1-over-2',
    source: `${S4}:56`,
    topic: 'managers',
    claim: 'An N-manager swarm tolerates the loss of at most (N−1)/2 managers.',
    expected: 'true',
    correction: 'Rounded down: ⌊(N−1)/2⌋.',
    citation: 'etcd-raft:quorum/majority.go (VoteResult)',
  },
  {
    id: 'max-seven-managers',
    source: `${S4}:57`,
    topic: 'managers',
    claim: 'A swarm can have at most seven managers.',
    expected: 'false',
    correction:
      'Seven is a recommendation; nothing in SwarmKit limits the number (nine managers tolerate four losses).',
    citation: 'Docs: "Administer and maintain a swarm of Docker Engines"',
  },
  {
    id: 'three-nodes-minimum-ha',
    source: `${S3}:88`,
    topic: 'managers',
    claim: 'Three managers are the minimum for high availability.',
    expected: 'true',
    correction: 'One or two managers tolerate no loss; three tolerate one.',
    citation: 'etcd-raft:quorum/majority.go (VoteResult)',
  },
  {
    id: 'even-managers-add-tolerance',
    source: 'misconception',
    topic: 'managers',
    claim: 'Four managers tolerate more failures than three.',
    expected: 'false',
    correction: 'Both tolerate one: four managers need three for a majority.',
    citation: 'etcd-raft:quorum/majority.go (VoteResult)',
  },
  {
    id: 'two-managers-survive-one',
    source: 'misconception',
    topic: 'managers',
    claim: 'Two managers are safer than one: the swarm survives losing either.',
    expected: 'false',
    correction: 'Two managers need both for a majority; losing either leaves no leader.',
    citation: 'etcd-raft:quorum/majority.go (VoteResult)',
  },
  {
    id: 'quorum-loss-stops-containers',
    source: 'misconception',
    topic: 'managers',
    claim: 'When the swarm loses quorum, running containers stop.',
    expected: 'false',
    correction:
      'Agents keep running what they have; nothing is rescheduled or changed until a leader returns.',
    citation: 'moby/swarmkit:agent/agent.go; semantics §2.3',
  },
  {
    id: 'reads-work-without-quorum',
    source: 'misconception',
    topic: 'managers',
    claim: 'Without quorum you can still list nodes and services.',
    expected: 'false',
    correction: 'Every control API call, reads included, is forwarded to the leader and fails without one.',
    citation: 'moby/swarmkit:manager/state/raft/raft.go (LeaderConn)',
  },
  {
    id: 'demote-last-manager',
    source: 'misconception',
    topic: 'managers',
    claim: 'You can demote the last manager of a swarm.',
    expected: 'false',
    correction: 'Refused: "attempting to demote the last manager of the swarm".',
    citation: 'moby/swarmkit:manager/controlapi/node.go (UpdateNode)',
  },
  {
    id: 'partitioned-leader-stays',
    source: 'misconception',
    topic: 'managers',
    claim: 'A leader cut off from the other managers stays leader until it crashes.',
    expected: 'false',
    correction:
      'With CheckQuorum on, a leader that hears from no majority within an election timeout steps down.',
    citation: 'etcd-raft:raft.go (stepLeader: MsgCheckQuorum)',
  },
  {
    id: 'node-id-once',
    source: `${S4}:168`,
    topic: 'managers',
    claim: 'A node can use a node ID only once to join the swarm.',
    expected: 'true',
    correction:
      'Node removal blacklists the certificate; joining again issues a new node ID, and Raft IDs are never reused either.',
    citation: 'moby/swarmkit:manager/controlapi/node.go (RemoveNode); membership/cluster.go (RemoveMember)',
  },
  {
    id: 'quorum-loss-workers-carry-on',
    source: `${S4}:166`,
    topic: 'managers',
    claim:
      'Without quorum, tasks on workers carry on but nothing can be added, updated, removed, started or stopped.',
    expected: 'imprecise',
    correction:
      'Correct, and read-only commands such as docker node ls fail too: every control API call goes to the missing leader.',
    citation: 'moby/swarmkit:manager/state/raft/raft.go (LeaderConn)',
  },
  {
    id: 'odd-managers-at-most-five',
    source: `${S4}:167`,
    topic: 'managers',
    claim: 'An odd number N of managers tolerates (N−1)/2 losses, at most 5 managers for performance.',
    expected: 'imprecise',
    correction:
      'Tolerance is ⌊(N−1)/2⌋ for any N, odd or even; the docs recommend 3 or 5 and at most 7, and the code sets no limit.',
    citation: 'etcd-raft:quorum/majority.go (VoteResult); Docs: "How nodes work"',
  },
  // ---- updates ---------------------------------------------------------------------------------
  {
    id: 'update-monitor-30s',
    source: 'misconception',
    topic: 'updates',
    claim: 'The default --update-monitor is 30 s.',
    expected: 'false',
    correction: 'It is 5 s in SwarmKit and in the CLI reference; one docs page says 30 s.',
    citation: 'moby/swarmkit:api/defaults/service.go (Service)',
  },
  {
    id: 'failure-ratio-at-threshold',
    source: 'misconception',
    topic: 'updates',
    claim: 'With --update-max-failure-ratio 0.1 the update pauses once 10 % of updated tasks fail.',
    expected: 'imprecise',
    correction:
      'The failure fraction must exceed the ratio: with 10 dirty slots, the second failure pauses it.',
    citation: 'moby/swarmkit:manager/orchestrator/update/updater.go (Run)',
  },
  {
    id: 'force-update-noop',
    source: 'misconception',
    topic: 'updates',
    claim: '`docker service update --force` with no other change does nothing.',
    expected: 'false',
    correction:
      'It increments ForceUpdate, which makes every task dirty: a rolling restart following the update config.',
    citation: 'moby/swarmkit:manager/orchestrator/task.go (IsTaskDirty)',
  },
  {
    id: 'update-delay-batches',
    source: 'misconception',
    topic: 'updates',
    claim: '--update-delay waits between batches of parallelism tasks.',
    expected: 'imprecise',
    correction: 'There are no batches: each of the parallelism workers sleeps the delay after its own slot.',
    citation: 'moby/swarmkit:manager/orchestrator/update/updater.go (worker)',
  },
  // ---- secrets ---------------------------------------------------------------------------------
  {
    id: 'configs-not-encrypted',
    source: `${S1}:39`,
    topic: 'secrets',
    claim: 'Secrets are encrypted in Raft; configs are not.',
    expected: 'false',
    correction: 'The whole Raft log and snapshots are encrypted at rest, configs included.',
    citation: 'moby/swarmkit:design/raft_encryption.md',
  },
  {
    id: 'workers-request-secrets',
    source: `${S1}:40`,
    topic: 'secrets',
    claim: 'Worker nodes request secrets they need and decrypt them into RAM.',
    expected: 'false',
    correction:
      "The leader's dispatcher pushes a secret to a node only while a task there references it, over mutual TLS.",
    citation: 'moby/swarmkit:manager/dispatcher/assignments.go (addTaskDependencies)',
  },
  {
    id: 'secrets-every-node',
    source: 'misconception',
    topic: 'secrets',
    claim: 'A secret is distributed to every node of the swarm.',
    expected: 'false',
    correction:
      'Only to managers (in the store) and to nodes running a task that references it; withdrawn when none does.',
    citation: 'moby/swarmkit:manager/dispatcher/assignments.go (releaseTaskDependencies)',
  },
  {
    id: 'secret-on-manager-disk',
    source: `${S3}:47`,
    topic: 'secrets',
    claim: 'Secrets are stored on disk only on manager nodes.',
    expected: 'true',
    correction: 'Managers keep them in the encrypted Raft log; Linux workers hold them only in memory/tmpfs.',
    citation: 'moby/swarmkit:design/raft_encryption.md',
  },
  {
    id: 'secret-rm-scaled-zero',
    source: 'misconception',
    topic: 'secrets',
    claim: 'A secret used only by a service scaled to 0 can be removed.',
    expected: 'false',
    correction:
      'Removal checks service specs, not running tasks: "secret … is in use by the following service(s)".',
    citation: 'moby/swarmkit:manager/controlapi/secret.go (RemoveSecret)',
  },
  // ---- networking ------------------------------------------------------------------------------
  {
    id: 'every-node-listens',
    source: `${S0}:17`,
    topic: 'networking',
    claim: 'A published port is open on every node, even nodes without a task of the service.',
    expected: 'imprecise',
    correction: 'True for ingress mode (the default); with mode=host only nodes running a task listen.',
    citation: 'Docs: "Use Swarm mode routing mesh"',
  },
  {
    id: 'route-to-node',
    source: `${S0}:18`,
    topic: 'networking',
    claim: 'A node receiving traffic routes it to a node running a task.',
    expected: 'imprecise',
    correction:
      'IPVS picks a running task (container) of the service, wherever it runs; it balances across tasks, not nodes.',
    citation: 'Docs: "Use Swarm mode routing mesh"',
  },
  {
    id: 'mesh-balances-nodes',
    source: `${S3}:10`,
    topic: 'networking',
    claim: 'The routing mesh load-balances across all the nodes.',
    expected: 'false',
    correction:
      "It balances across the service's running tasks; a node with no task still forwards to tasks elsewhere.",
    citation: 'Docs: "Use Swarm mode routing mesh"',
  },
  {
    id: 'every-service-vip',
    source: `${S0}:21`,
    topic: 'networking',
    claim: 'Every service gets a virtual IP.',
    expected: 'false',
    correction:
      'Only vip-mode services attached to a network (one VIP per network); dnsrr services and services with no network get none.',
    citation: 'moby/moby:daemon/libnetwork/cnmallocator/networkallocator.go (AllocateService)',
  },
  {
    id: 'ingress-per-service',
    source: `${S0}:24`,
    topic: 'networking',
    claim: 'An ingress network is created for each service that publishes a port.',
    expected: 'false',
    correction: 'There is exactly one ingress network per swarm, created at swarm init.',
    citation: 'moby/swarmkit:manager/manager.go (becomeLeader)',
  },
  {
    id: 'ingress-at-init',
    source: `${S2}:69`,
    topic: 'networking',
    claim: 'The ingress network is created automatically when the swarm is initialised.',
    expected: 'true',
    correction: 'The first leader creates it at swarm init.',
    citation: 'moby/swarmkit:manager/manager.go (becomeLeader)',
  },
  {
    id: 'one-ingress-network',
    source: `${S4}:151`,
    topic: 'networking',
    claim: 'You can have only one ingress network.',
    expected: 'true',
    correction: 'Creating a second is refused: "ingress network (…) is already present".',
    citation: 'moby/swarmkit:manager/controlapi/network.go (CreateNetwork)',
  },
  {
    id: 'overlay-subnet-on-first-use',
    source: `${S4}:139`,
    topic: 'networking',
    claim: 'An overlay network gets its subnet when a service first connects to it.',
    expected: 'false',
    correction:
      "The leader's allocator assigns the subnet when the network object is created; what is lazy is the network appearing on a node, while a task there uses it.",
    citation: 'moby/swarmkit:manager/allocator/network.go (EventCreateNetwork)',
  },
  {
    id: 'host-mode-stickiness',
    source: `${S1}:65`,
    topic: 'networking',
    claim: 'Publishing in host mode gives session stickiness and turns off load balancing.',
    expected: 'imprecise',
    correction:
      'Host mode bypasses the ingress routing mesh only; a client reaches whatever task runs on the node it dials, and only nodes with a task listen.',
    citation: 'moby/swarmkit:manager/scheduler/filter.go (HostPortFilter)',
  },
  {
    id: 'dnsrr-with-ingress',
    source: 'misconception',
    topic: 'networking',
    claim: 'A dnsrr service can publish a port through the routing mesh.',
    expected: 'false',
    correction: 'Refused: "port published with ingress mode can\'t be used with dnsrr mode"; use mode=host.',
    citation: 'moby/swarmkit:manager/controlapi/service.go (validateEndpointSpec)',
  },
];
