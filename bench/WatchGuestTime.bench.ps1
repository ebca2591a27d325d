<#
.SYNOPSIS
    After a 20 s pause: how long until the guest's clock is right again? Watch-GuestTime (from the
    resume event to the verified step) against what a user has without it: the guest's own chronyd
    with the stock 'makestep 1 3' against the lab's NTP server, measured in the same run on the
    same lab guest. Needs the lab (tests/lab/lab.sh start); writes bench/results/watch-guest-time.md.
#>
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Cycles = 3, [int] $ChronyLimitSeconds = 600)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1')
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1')
$module = Join-Path (Resolve-Path $ModulePath).Path 'KvmTime.psd1'
Import-Module $module
$lab = Get-LabFixture
if (-not $lab) { Write-Warning 'no lab: Watch-GuestTime bench skipped'; return }
$guest = $lab.Guests[0]; $domain = $guest.Domain; $uri = $guest.LibvirtUri
$converged = 50   # ms: the same bar for both

function Get-GuestOffsetMs {
    $before = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
    $reply = virsh -q -c $uri qemu-agent-command --domain $domain '{"execute":"guest-get-time"}'
    $after = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
    if ($LASTEXITCODE -ne 0) { return $null }
    ($reply | ConvertFrom-Json).return / 1e6 - ($before + $after) / 2
}

function Suspend-Guest {
    virsh -q -c $uri suspend $domain | Out-Null
    Start-Sleep -Seconds 20
    # The moment the resume is asked for: on a busy machine virsh can return a second after libvirt's event.
    $resuming = [DateTime]::UtcNow
    virsh -q -c $uri resume $domain | Out-Null
    $resuming
}

# 1. Watch-GuestTime: resume event to verified clock, per cycle.
$null = Sync-GuestTime -Domain $domain -LibvirtUri $uri -WarningAction SilentlyContinue
$job = Start-ThreadJob -ArgumentList $module, $domain, $uri {
    param($module, $domain, $uri)
    Import-Module $module
    Watch-GuestTime -Domain $domain -LibvirtUri $uri -Interval 0:10:0 -Duration 0:30:0 -Confirm:$false -WarningAction SilentlyContinue
}
$watch = [System.Collections.Generic.List[object]]::new()
try {
    Start-Sleep -Seconds 10   # its first poll and its event listener are up
    foreach ($cycle in 1..$Cycles) {
        $resumed = Suspend-Guest
        $deadline = $resumed.AddSeconds(60); $result = $null
        while (-not $result -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 200
            $result = @(Receive-Job $job -Keep | Where-Object { $_.Trigger -eq 'lifecycle: Resumed Unpaused' -and $_.TriggerTime -ge $resumed }) | Select-Object -First 1
        }
        if (-not $result) { throw "cycle ${cycle}: no correction within 60 s of the resume" }
        $watch.Add([pscustomobject]@{
                Cycle = $cycle; OffsetBeforeS = $result.OffsetBefore.TotalSeconds; OffsetAfterMs = $result.OffsetAfter.TotalMilliseconds
                EventToCorrectedMs = ($result.CompletedAt - $result.TriggerTime).TotalMilliseconds; ResumeToCorrectedMs = ($result.CompletedAt - $resumed).TotalMilliseconds
            })
        Start-Sleep -Seconds 3
    }
}
finally {
    Stop-Job $job; Remove-Job $job -Force
}

# 2. The guest's own chronyd, stock makestep 1 3, no watcher: resume to |offset| < 50 ms.
# chronyd logs one tracking line per clock update, which is how the bench knows its three makestep updates are spent.
$conf = "server $($lab.Ntp.GuestAddress) iburst\nmakestep 1 3\ndriftfile /tmp/kt-bench.drift\npidfile /tmp/kt-bench-chronyd.pid\nlogdir /tmp/kt-bench-log\nlog tracking\n"
$start = "pidof chronyd >/dev/null && exit 3; [ -d /run/chrony ] || { mkdir -p /run/chrony && touch /tmp/kt-bench-made-run; }; " +
    "mkdir -p /tmp/kt-bench-log && chown _chrony:_chrony /tmp/kt-bench-log && printf '$conf' >/tmp/kt-bench-chrony.conf && chronyd -f /tmp/kt-bench-chrony.conf"
$stop = 'kill $(cat /tmp/kt-bench-chronyd.pid) 2>/dev/null; sleep 1; rm -rf /tmp/kt-bench-chrony.conf /tmp/kt-bench.drift /tmp/kt-bench-chronyd.pid /tmp/kt-bench-log; [ -e /tmp/kt-bench-made-run ] && rm -rf /run/chrony /tmp/kt-bench-made-run; true'
$chrony = $null
Invoke-Lab ssh, $guest.Name, $start | Out-Null
try {
    # Past its first three clock updates (makestep's window), like a guest that has run a while: tracking.log holds one line per update after its header and its starting state.
    $deadline = [DateTime]::UtcNow.AddSeconds(400)
    do {
        Start-Sleep -Seconds 5
        # Its first line (reference 0.0.0.0) is the state at start, not an update.
        $updates = [int]((Invoke-Lab ssh, $guest.Name, "grep '^20' /tmp/kt-bench-log/tracking.log 2>/dev/null | grep -vc ' 0\.0\.0\.0 ' || true") -join '')
    } until ($updates -ge 3 -or [DateTime]::UtcNow -gt $deadline)
    if ($updates -lt 3) { throw "the guest's chronyd made $updates clock updates in 400 s (is the lab's NTP server at $($lab.Ntp.GuestAddress) up?)" }
    $offsetBefore = Get-GuestOffsetMs
    $resumed = Suspend-Guest
    $first = $null; $samples = 0
    do {
        Start-Sleep -Seconds 1
        $offset = Get-GuestOffsetMs; $samples++
        if ($null -ne $offset -and $null -eq $first) { $first = $offset }
        $elapsed = ([DateTime]::UtcNow - $resumed).TotalSeconds
    } until (($null -ne $offset -and [math]::Abs($offset) -lt $converged) -or $elapsed -gt $ChronyLimitSeconds)
    $chrony = [pscustomobject]@{ Updates = $updates; OffsetBeforePauseMs = $offsetBefore; FirstOffsetAfterResumeS = $first / 1000; ConvergedS = if ([math]::Abs($offset) -lt $converged) { $elapsed } else { $null }; LastOffsetMs = $offset }
}
finally {
    Invoke-Lab ssh, $guest.Name, $stop | Out-Null
    $null = Sync-GuestTime -Domain $domain -LibvirtUri $uri -WarningAction SilentlyContinue
}

$watchMedian = ($watch.EventToCorrectedMs | Sort-Object)[[int][math]::Floor(($watch.Count - 1) / 2)]
$resumeMedian = ($watch.ResumeToCorrectedMs | Sort-Object)[[int][math]::Floor(($watch.Count - 1) / 2)]
$chronyText = if ($chrony.ConvergedS) { '{0:0} s' -f $chrony.ConvergedS } else { "not within $ChronyLimitSeconds s (last offset $('{0:0}' -f $chrony.LastOffsetMs) ms)" }
$ratio = if ($chrony.ConvergedS) { '{0:0}x' -f ($chrony.ConvergedS * 1000 / $resumeMedian) } else { "more than $('{0:0}' -f ($ChronyLimitSeconds * 1000 / $resumeMedian))x" }
$load = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
$rows = @(
    [pscustomobject]@{ Keeper = 'Watch-GuestTime'; 'Back within 50 ms after resume' = "$(Format-Ms $resumeMedian) (median of $Cycles; event to verified step $(Format-Ms $watchMedian))"; How = 'libvirt Resumed event, guest-set-time through the agent, verified' }
    [pscustomobject]@{ Keeper = "guest chronyd, makestep 1 3"; 'Back within 50 ms after resume' = $chronyText; How = "first offset after resume $('{0:0.000}' -f $chrony.FirstOffsetAfterResumeS) s; offset before the pause $('{0:0.0}' -f $chrony.OffsetBeforePauseMs) ms; $($chrony.Updates) clock updates before the pause had spent makestep's three" }
)
$text = @(
    '# Watch-GuestTime: back to the right time after a 20 s pause'
    ''
    "Measured $([DateTime]::UtcNow.ToString('u')) on $([Environment]::MachineName) (2 cores, load average $($load -join ' ') at the end), lab guest $domain (TCG under libvirt $((virsh --version).Trim())), bench/WatchGuestTime.bench.ps1."
    ''
    "Each run: virsh suspend, 20 s, virsh resume; then the time until the guest clock is within $converged ms of the host's. Watch-GuestTime: from the resume to its verified step (CompletedAt), and from libvirt's event (TriggerTime) to it. chronyd: the guest's own chronyd (server $($lab.Ntp.GuestAddress) iburst, the stock makestep 1 3), past its first three clock updates (counted in its tracking log), no watcher; the offset is read through the agent every second."
    ''
    (ConvertTo-MarkdownTable $rows)
    ''
    "Ratio (chronyd / Watch-GuestTime, resume to right time): **$ratio**."
    ''
    '## Watch-GuestTime cycles'
    ''
    (ConvertTo-MarkdownTable @($watch | ForEach-Object { [pscustomobject]@{ Cycle = $_.Cycle; OffsetBefore = '{0:0.000} s' -f $_.OffsetBeforeS; OffsetAfter = '{0:0.0} ms' -f $_.OffsetAfterMs; EventToCorrected = Format-Ms $_.EventToCorrectedMs; ResumeToCorrected = Format-Ms $_.ResumeToCorrectedMs } }))
)
$out = Join-Path $PSScriptRoot 'results/watch-guest-time.md'
Set-Content $out ($text -join "`n")
Get-Content $out
