<#
.SYNOPSIS
    Convergence after a clock jump (issue 18): the lab guest's chronyd with the stock setting
    (makestep 1 3, as Debian ships it) against the same guest after Set-GuestTimeSync -Preset Vm
    (makestep 1 -1), in the same run, alternated. Each run restarts chronyd on the config, lets it
    use up its first updates, pushes the guest clock 20 s behind, and measures through the guest
    agent how long until the guest is within 1 s and within 0.1 s of this machine. Needs the lab
    (build.ps1 -Task Lab -Action Start); without it the bench says so and writes nothing.
#>
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Runs = 2, [int] $CapSeconds = 420)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1')
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1')
Import-Module (Join-Path (Resolve-Path $ModulePath).Path 'KvmTime.psd1')
$env:KVMTIME_LAB_SKIP = '1'
$lab = Get-LabFixture
if (-not $lab) { Write-Warning 'GuestTimeSync bench: the lab is not running (build.ps1 -Task Lab -Action Start); nothing measured.'; return }
$guest = $lab.Guests[0]
$ssh = Get-LabSsh $guest
function Invoke-Guest([string] $Command) { Invoke-Lab @('ssh', $guest.Name, $Command) }
# The guest clock minus this machine's, in seconds, read through the guest agent.
function Get-GuestOffset {
    $before = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1e3
    $reply = virsh -q -c $guest.LibvirtUri qemu-agent-command --domain $guest.Domain '{"execute":"guest-get-time"}' | ConvertFrom-Json
    $after = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1e3
    $reply.return / 1e9 - ($before + $after) / 2
}

$stock = (Get-Content -Raw (Join-Path $PSScriptRoot '../tests/lab/chrony-debian-layout.conf')).Replace('10.0.2.2', $lab.Ntp.GuestAddress).TrimEnd("`n")
$b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($stock + "`n"))
$null = Invoke-Guest 'cp /etc/chrony/chrony.conf /tmp/kvmtime-bench-chrony.conf.orig'
$rows = [System.Collections.Generic.List[object]]::new()
try {
    foreach ($run in 1..$Runs) {
        foreach ($config in 'Stock (makestep 1 3)', 'Set-GuestTimeSync -Preset Vm (makestep 1 -1)') {
            $null = Invoke-Guest "rm -rf /etc/chrony/conf.d /etc/chrony/sources.d /etc/chrony/chrony.conf.kvmtime-*; mkdir -p /etc/chrony/conf.d /etc/chrony/sources.d; echo $b64 | base64 -d > /etc/chrony/chrony.conf; /etc/init.d/chrony restart >/dev/null 2>&1; true"
            if ($config -like 'Set-*') { $null = Set-GuestTimeSync @ssh -Preset Vm -Timeout 120 -Confirm:$false }
            # Let chronyd synchronise and use up its first clock updates (stock makestep allows 3 steps).
            foreach ($i in 1..6) { $null = Invoke-Guest 'chronyc burst 4/4 >/dev/null; sleep 6' }
            $null = Invoke-Guest 'date -s @$(( $(date +%s) - 20 )) >/dev/null'
            $start = [DateTime]::UtcNow
            $within1 = $null; $within01 = $null
            do {
                Start-Sleep -Seconds 3
                $null = Invoke-Guest 'chronyc burst 2/2 >/dev/null'
                $offset = [math]::Abs((Get-GuestOffset))
                $elapsed = ([DateTime]::UtcNow - $start).TotalSeconds
                if ($null -eq $within1 -and $offset -lt 1) { $within1 = $elapsed }
                if ($null -eq $within01 -and $offset -lt 0.1) { $within01 = $elapsed }
            } until ($null -ne $within01 -or $elapsed -gt $CapSeconds)
            $rows.Add([pscustomobject]@{ Run = $run; Config = $config; Within1s = $within1; Within100ms = $within01; OffsetAtEnd = $offset })
            Write-Host ("run {0} {1}: within 1 s after {2}, within 0.1 s after {3}, |offset| at end {4:N3} s" -f $run, $config, $within1, $within01, $offset)
        }
    }
}
finally {
    $null = Invoke-Guest 'rm -rf /etc/chrony/conf.d /etc/chrony/sources.d /etc/chrony/chrony.conf.kvmtime-*; mv -f /tmp/kvmtime-bench-chrony.conf.orig /etc/chrony/chrony.conf; /etc/init.d/chrony restart >/dev/null 2>&1; true'
}

function Show([object] $Seconds) { if ($null -eq $Seconds) { "not within $CapSeconds s" } else { '{0:N0}' -f $Seconds } }
$table = foreach ($row in $rows) {
    [pscustomobject]@{ Run = $row.Run; Config = $row.Config; 'Within_1s_s' = Show $row.Within1s; 'Within_0.1s_s' = Show $row.Within100ms; 'Offset_at_end_s' = '{0:N3}' -f $row.OffsetAtEnd }
}
$summary = foreach ($target in 'Within1s', 'Within100ms') {
    $stockTimes = @($rows | Where-Object Config -like 'Stock*' | ForEach-Object { if ($null -eq $_.$target) { $CapSeconds } else { $_.$target } })
    $presetTimes = @($rows | Where-Object Config -like 'Set-*' | ForEach-Object { if ($null -eq $_.$target) { $CapSeconds } else { $_.$target } })
    $s = ($stockTimes | Measure-Object -Average).Average; $p = ($presetTimes | Measure-Object -Average).Average
    [pscustomobject]@{ Target = $target; Stock_mean_s = '{0:N0}' -f $s; Preset_mean_s = '{0:N0}' -f $p; 'Ratio_stock/preset' = '{0:N1}' -f ($s / [math]::Max($p, 1)) }
}
$load = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
$md = @(
    '# Guest clock convergence after a 20 s jump: stock chrony against -Preset Vm'
    ''
    "Measured $([DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm:ss'))Z on $([Environment]::MachineName) ($([Environment]::ProcessorCount) cores, load average $($load -join ' ') at the end) by bench/GuestTimeSync.bench.ps1, $Runs alternated runs."
    "Guest: the lab's TCG guest, chrony 4.3, following the lab's chronyd on 10.0.2.2. Each run restarts chronyd on the config, lets it synchronise and use up its first updates (6 bursts over about 40 s), sets the guest clock 20 s back (date -s), then every 3 s sends 'chronyc burst 2/2' (both configs alike) and reads the guest clock through the guest agent against this machine's. Times are seconds after the jump; a run that never gets there counts as $CapSeconds s in the means."
    ''
) + @(ConvertTo-MarkdownTable $table) + @('') + @(ConvertTo-MarkdownTable $summary) + @(
    ''
    "Stock chronyd may step only in its first three clock updates (makestep 1 3), so after that it slews the 20 s away instead of stepping; with makestep 1 -1 it steps at its next update. The stock times vary from run to run (the TCG guest on this busy machine), the preset's stay at one or two polls."
)
Set-Content -Path (Join-Path $PSScriptRoot 'results/guest-timesync.md') -Value $md
$md -join "`n"
