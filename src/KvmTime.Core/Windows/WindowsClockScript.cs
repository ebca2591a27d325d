namespace KvmTime.Windows;

/// <summary>
/// The PowerShell snippet that gathers a Windows machine's timer facts in one call and prints them
/// as one JSON line: BCD elements of {current} through the BCD WMI provider, QueryPerformanceFrequency
/// (Stopwatch.Frequency), and raw CPUID leaves. Parsing happens in C# (<see cref="WindowsClockParser"/>).
/// Runs in Windows PowerShell 5.1 too, so it avoids PowerShell 7 syntax; CPUID needs PowerShell 7.
/// </summary>
internal static class WindowsClockScript
{
    public const string Script = """
        $ErrorActionPreference = 'Stop'
        $r = [ordered]@{ Version = 1; PSVersion = $PSVersionTable.PSVersion.ToString() }
        $r.OsVersion = [System.Environment]::OSVersion.Version.ToString()
        $r.QpcFrequency = [System.Diagnostics.Stopwatch]::Frequency
        $bcd = [ordered]@{ Read = $false; Error = $null; ErrorCode = $null; Elements = [ordered]@{} }
        try {
            $store = (Invoke-CimMethod -Namespace root/WMI -ClassName BcdStore -MethodName OpenStore -Arguments @{ File = '' }).Store
            $current = (Invoke-CimMethod -InputObject $store -MethodName OpenObject -Arguments @{ Id = '{fa926493-6f1c-4193-a414-58f0b2456d1e}' }).Object
            foreach ($type in 0x260000A2, 0x260000A4, 0x260000A5, 0x250000A6) {
                $answer = Invoke-CimMethod -InputObject $current -MethodName GetElement -Arguments @{ Type = [uint32]$type }
                $value = $null
                if ($answer.ReturnValue -and $answer.Element) {
                    $names = @($answer.Element.CimInstanceProperties | ForEach-Object Name)
                    if ($names -contains 'Boolean') { $value = [bool]$answer.Element.Boolean } elseif ($names -contains 'Integer') { $value = [string]$answer.Element.Integer }
                }
                $bcd.Elements[('0x{0:X8}' -f $type)] = $value
            }
            $bcd.Read = $true
        }
        catch {
            $bcd.Error = $_.Exception.Message
            if ($_.Exception.PSObject.Properties['NativeErrorCode']) { $bcd.ErrorCode = [string]$_.Exception.NativeErrorCode }
            elseif ($_.FullyQualifiedErrorId -like 'CommandNotFoundException*') { $bcd.ErrorCode = 'CommandNotFound' }
        }
        $r.Bcd = $bcd
        $cpu = [ordered]@{ Error = $null; Leaves = [ordered]@{} }
        $x86 = 'System.Runtime.Intrinsics.X86.X86Base' -as [type]
        if ($null -eq $x86) { $cpu.Error = "PowerShell $($r.PSVersion) cannot execute CPUID (System.Runtime.Intrinsics needs PowerShell 7)" }
        elseif (-not $x86::IsSupported) { $cpu.Error = 'this processor is not x86' }
        else {
            foreach ($leaf in 0x00000000, 0x00000001, 0x40000000, 0x40000003, 0x80000000, 0x80000007) {
                $v = $x86::CpuId([int]$leaf, 0)
                $cpu.Leaves[('0x{0:X8}' -f $leaf)] = @($v.Item1, $v.Item2, $v.Item3, $v.Item4)
            }
        }
        $r.CpuId = $cpu
        $r | ConvertTo-Json -Depth 5 -Compress
        """;
}
