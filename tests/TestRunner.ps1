# Test orchestration for build.ps1: xunit, the parser fuzzer, then Pester in a child pwsh (a loaded binary module
# cannot be unloaded, so tests never import it into the build's own session), then one closing line.

function Invoke-ChildPwsh {
    param([string] $Command, [string] $File, [string[]] $Arguments = @())
    # The repo-local tool has no executable shim: pwsh runs as 'dotnet pwsh.dll'.
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    $exe, $launch = if (Test-Path $pwshDll) { 'dotnet', @($pwshDll) } else { (Get-Process -Id $PID).Path, @() }
    $launch += @('-NoProfile', '-NonInteractive')
    if ($File) { $launch += @('-File', $File) + $Arguments } else { $launch += @('-Command', $Command) }
    & $exe @launch | Out-Host
    return $LASTEXITCODE
}

function Get-TrxCounts([string] $TrxPath) {
    [xml] $trx = Get-Content -Raw $TrxPath
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout; Skipped = [int]$c.notExecuted }
}

function Invoke-UnitTests([string] $Root, [string] $Configuration) {
    $results = Join-Path $Root 'out/test-results'
    Remove-Item (Join-Path $results 'unit.trx') -ErrorAction Ignore
    dotnet test (Join-Path $Root 'tests/unit/KvmTime.Tests.csproj') -c $Configuration --nologo `
        --logger 'trx;LogFileName=unit.trx' --logger 'console;verbosity=normal' --results-directory $results | Out-Host
    $trx = Join-Path $results 'unit.trx'
    if (-not (Test-Path $trx)) {
        Write-Host 'xunit produced no results: the unit test build failed.'
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    Get-TrxCounts $trx
}

# The parser fuzzer (tests/fuzz) for a fixed budget; one test that fails on any exception other than
# KvmTimeException or any input slower than 100 ms per 64 KB. Failing inputs are kept under
# out/test-results/fuzz-findings (each printed with its file) to become tests/unit/Samples/fuzz samples.
function Invoke-FuzzTests([string] $Root, [string] $Configuration) {
    $seconds = if ($env:KVMTIME_FUZZ_SECONDS) { $env:KVMTIME_FUZZ_SECONDS } else { '60' }
    # CI replays one fixed sequence so a landing never depends on luck; developers explore new seeds.
    $seed = if ($env:KVMTIME_FUZZ_SEED) { $env:KVMTIME_FUZZ_SEED } elseif ($env:CI -eq 'true') { '21' } else { [string](Get-Random -Maximum ([int]::MaxValue)) }
    $findings = Join-Path $Root 'out/test-results/fuzz-findings'
    Remove-Item $findings -Recurse -Force -ErrorAction Ignore
    $project = Join-Path $Root 'tests/fuzz/KvmTime.Fuzz.csproj'
    dotnet build $project -c $Configuration --nologo -v quiet | Out-Host
    if ($LASTEXITCODE -ne 0) {
        Write-Host 'The fuzzer did not build.'
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }

    Write-Host "fuzz: $seconds s, seed $seed (replay with KVMTIME_FUZZ_SEED=$seed)"
    dotnet run --project $project -c $Configuration --no-build -- --seconds $seconds --seed $seed --save $findings | Out-Host
    if ($LASTEXITCODE -eq 0) { [pscustomobject]@{ Passed = 1; Failed = 0; Skipped = 0 } }
    else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
}

function Get-PesterModulePath([string] $Root) {
    dotnet restore (Join-Path $Root 'tests/tools/Tools.csproj') --nologo -v quiet | Out-Host
    $nugetRoot = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $psd1 = Join-Path $nugetRoot 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $psd1)) { throw "Pester was not restored to $psd1." }
    $psd1
}

function Invoke-TestSuite {
    param([string] $Root, [string] $ModulePath, [string] $Configuration, [string[]] $ExcludeTag)
    & bash (Join-Path $Root 'tests/install-test-deps.sh')
    if ($LASTEXITCODE -ne 0) { Write-Host 'Installing the test dependencies failed: the SSH tests will fail.' }
    Remove-LeftoverTestUsers
    # Real changes on this machine keep their lock and journal in /var/lib/kvmtime; a run that
    # created it removes it again.
    $stateDirectoryExisted = Test-Path /var/lib/kvmtime
    $unit = Invoke-UnitTests -Root $Root -Configuration $Configuration
    Write-Host "xunit: $($unit.Passed) passed, $($unit.Failed) failed, $($unit.Skipped) skipped"
    $fuzz = Invoke-FuzzTests -Root $Root -Configuration $Configuration
    Write-Host "fuzz: $($fuzz.Passed) passed, $($fuzz.Failed) failed"

    $lab = if ($ExcludeTag -contains 'Lab') { [pscustomobject]@{ Started = $false; Failure = $null } } else { Start-TestLab -Root $Root }
    try {
        $p = Invoke-PesterSuite -Root $Root -ModulePath $ModulePath -ExcludeTag $ExcludeTag
    }
    finally {
        if ($lab.Started) { & bash (Join-Path $Root 'tests/lab/lab.sh') stop | Out-Host }
        Remove-LeftoverTestUsers
        if (-not $stateDirectoryExisted) { Remove-Item -Recurse -Force /var/lib/kvmtime -ErrorAction Ignore }
    }
    Write-Host "Pester: $($p.Passed) passed, $($p.Failed) failed, $($p.Skipped) skipped"

    $passed = $unit.Passed + $fuzz.Passed + $p.Passed
    $failed = $unit.Failed + $fuzz.Failed + $p.Failed
    $skipped = $unit.Skipped + $p.Skipped
    if ($lab.Failure) {
        # CI must not skip the lab: a lab that cannot start is a failure, with its reason.
        Write-Host "LAB FAILED TO START: $($lab.Failure)"
        $failed++
    }
    $closing = '{0} passed, {1} failed' -f $passed, $failed
    if ($skipped) { $closing += ", $skipped skipped" }
    Write-Host ''
    Write-Host $closing
    if ($failed -gt 0) { 1 } else { 0 }
}

# Tests remove the users and sudoers drop-ins they create; this also clears those of a run that was
# killed, and the fixed 'kvmtimetest' user (with an ALL rule) that earlier versions left behind.
function Remove-LeftoverTestUsers {
    $users = @(Get-Content /etc/passwd | ForEach-Object { ($_ -split ':')[0] } | Where-Object { $_ -match '^(ktt[0-9a-f]{8}|kvmtimetest)$' })
    foreach ($user in $users) {
        Remove-Item "/etc/sudoers.d/$user" -Force -ErrorAction Ignore
        & pkill -KILL -u $user 2>$null
        & userdel --remove $user 2>$null
        Write-Host "Removed the leftover test user $user"
    }
    Get-ChildItem /tmp -Filter 'kvmtime-canary-*' -ErrorAction Ignore | Remove-Item -Force
}

# Starts the libvirt lab (one libvirt guest, one plain QEMU guest) for the Lab-tagged tests.
# Without root on a developer machine the Lab tests skip; in CI (CI=true) a lab that cannot start fails.
function Start-TestLab([string] $Root) {
    $env:KVMTIME_LAB_SKIP = $null
    if ((& id -u) -ne '0') {
        $reason = 'the lab needs root (libvirtd, apt-get)'
        if ($env:CI -eq 'true') { return [pscustomobject]@{ Started = $false; Failure = $reason } }
        Write-Host "Lab tests will be skipped: $reason."
        $env:KVMTIME_LAB_SKIP = $reason
        return [pscustomobject]@{ Started = $false; Failure = $null }
    }
    $lab = Join-Path $Root 'tests/lab/lab.sh'
    # TCG guests boot in ~12 s on a quiet machine, several times that under load: be patient, not flaky.
    if (-not $env:KVMTIME_LAB_READY_TIMEOUT) { $env:KVMTIME_LAB_READY_TIMEOUT = '300' }
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    & bash $lab start --guests 1 | Out-Host
    $ok = $LASTEXITCODE -eq 0
    if ($ok) { & bash $lab start-qemu | Out-Host; $ok = $LASTEXITCODE -eq 0 }
    Write-Host ("Lab start took {0:0} s" -f $watch.Elapsed.TotalSeconds)
    if ($ok) { return [pscustomobject]@{ Started = $true; Failure = $null } }
    & bash $lab stop | Out-Host
    $reason = "tests/lab/lab.sh start failed (see the output above)"
    if ($env:CI -eq 'true') { return [pscustomobject]@{ Started = $false; Failure = $reason } }
    $env:KVMTIME_LAB_SKIP = $reason
    [pscustomobject]@{ Started = $false; Failure = $null }
}

function Invoke-PesterSuite([string] $Root, [string] $ModulePath, [string[]] $ExcludeTag) {
    $pester = Get-PesterModulePath $Root
    $resultPath = Join-Path $Root 'out/test-results/pester.json'
    Remove-Item $resultPath -ErrorAction Ignore
    $null = Invoke-ChildPwsh -File (Join-Path $Root 'tests/pester/Invoke-PesterSuite.ps1') -Arguments @(
        '-PesterPath', $pester, '-ModulePath', $ModulePath, '-ResultPath', $resultPath, '-ExcludeTag', ($ExcludeTag -join ','))
    if (Test-Path $resultPath) { Get-Content -Raw $resultPath | ConvertFrom-Json }
    else { Write-Host 'Pester produced no results.'; [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
}
