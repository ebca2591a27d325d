namespace KvmTime.Model;

/// <summary>How a clock_gettime call was served, as measured: the libc call against the raw system call.</summary>
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
public enum ClockReadPath
{
    /// <summary>No raw system call was timed (not x86_64, or the method cannot make one).</summary>
    Unknown,

    /// <summary>The libc call costs well under the system call: the vDSO answers it in user space.</summary>
    Vdso,

    /// <summary>The libc call costs about as much as the system call: the vDSO falls back to the kernel.</summary>
    SystemCall,

    /// <summary>Between the two: too close to call with this method's noise.</summary>
    Unclear,
}
