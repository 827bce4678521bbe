import com.sun.tools.attach.VirtualMachine;

/**
 * Loads async-profiler into a running JVM and passes it one command, the way its own {@code asprof} does (through
 * the attach API, so the options arrive intact; {@code jcmd JVMTI.agent_load} splits them). Used by
 * {@code deploy/bench/request-path.sh --profile}:
 *
 * <pre>java deploy/bench/AsyncProfiler.java PID /path/libasyncProfiler.so start,event=itimer,interval=1ms</pre>
 * <pre>java deploy/bench/AsyncProfiler.java PID /path/libasyncProfiler.so stop,collapsed,file=/tmp/out.collapsed</pre>
 */
public class AsyncProfiler {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java AsyncProfiler.java PID LIBASYNCPROFILER COMMAND");
            System.exit(2);
        }
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
