# Export-KvmTimeMetric against a real node_exporter (Debian's prometheus-node-exporter, installed by
# tests/install-test-deps.sh): the test starts its own on a free loopback port with only the textfile
# collector, reading a temporary directory, and reads /metrics as Prometheus would. The reports are
# built here as KvmTimeHealth objects (hand-written values), so nothing depends on Test-KvmTimeHealth.
# The exporter is stopped and the directory removed afterwards.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:Exporter = '/usr/bin/prometheus-node-exporter'
    if (-not (Test-Path $Exporter)) { throw 'node_exporter is not installed: run tests/install-test-deps.sh (build.ps1 -Task Test does).' }
    $script:TextfileDir = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-textfile-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $null = New-Item -ItemType Directory $TextfileDir
    $script:Prom = Join-Path $TextfileDir 'kvmtime.prom'
    $script:Log = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-node-exporter-$([guid]::NewGuid().ToString('N').Substring(0, 8)).log"

    # A port freed by Get-FreeTcpPort can be taken again before the exporter binds it: try a few.
    foreach ($attempt in 1..3) {
        $script:Port = Get-FreeTcpPort
        $script:Process = Start-Process -FilePath $Exporter -PassThru -RedirectStandardError $Log -RedirectStandardOutput '/dev/null' -ArgumentList @(
            '--collector.disable-defaults', '--collector.textfile', "--collector.textfile.directory=$TextfileDir",
            "--web.listen-address=127.0.0.1:$Port", '--web.disable-exporter-metrics')
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        $listening = $false
        while (-not $listening -and -not $Process.HasExited -and [DateTime]::UtcNow -lt $deadline) {
            $client = [System.Net.Sockets.TcpClient]::new()
            try { $client.Connect('127.0.0.1', $Port); $listening = $true } catch { Start-Sleep -Milliseconds 100 } finally { $client.Dispose() }
        }
        if ($listening) { break }
        if (-not $Process.HasExited) { Stop-Process -Id $Process.Id }
        if ($attempt -eq 3) { throw "node_exporter did not listen on 127.0.0.1:$($Port): $(Get-Content -Raw $Log)" }
    }

    function Get-Scrape { (Invoke-WebRequest -Uri "http://127.0.0.1:$Port/metrics" -UseBasicParsing).Content }

    # The value of one series as the exporter serves it (it writes floats its own way: compare numbers).
    function Get-SeriesValue([string] $Scrape, [string] $Series) {
        $line = @($Scrape -split "`n" | Where-Object { $_.StartsWith("$Series ", [StringComparison]::Ordinal) })
        if ($line.Count -ne 1) { return $null }
        [double]::Parse($line[0].Substring($Series.Length + 1), [cultureinfo]::InvariantCulture)
    }

    function New-Finding([string] $Id, [string] $Severity, [string] $Subject) {
        [KvmTime.Model.HealthFinding]@{ Id = $Id; Severity = $Severity; Subject = $Subject; Message = 'hand-written'; Evidence = 'hand-written'; Fix = "Set-Something -Id $Id" }
    }

    function New-Health([string] $ComputerName, [string] $Verdict, [KvmTime.Model.HealthFinding[]] $Findings = @(), $Offset = $null, $IsSynchronized = $null, [string] $Clocksource = 'kvm-clock') {
        [KvmTime.Model.KvmTimeHealth]@{
            ComputerName = $ComputerName; OperatingSystem = 'Linux'; Verdict = $Verdict; Findings = $Findings
            Offset = $Offset; IsSynchronized = $IsSynchronized; Clocksource = $Clocksource
            CheckedAt = [datetime]::new(2026, 3, 1, 12, 0, 0, 250, [DateTimeKind]::Utc)
        }
    }

    # The label value as written in the format, from the value itself (the format's three escapes).
    function ConvertTo-LabelText([string] $Value) { $Value.Replace('\', '\\').Replace('"', '\"').Replace("`n", '\n') }
}

AfterAll {
    if ($script:Process -and -not $Process.HasExited) { Stop-Process -Id $Process.Id; $Process.WaitForExit(10000) }
    Remove-Item -Recurse -Force $TextfileDir -ErrorAction Ignore
    Remove-Item -Force $Log -ErrorAction Ignore
}

Describe 'Export-KvmTimeMetric with a real node_exporter' -Tag 'Local' {
    It 'writes a file the textfile collector reads without error, with every value' {
        $guest = New-Health guest1 Critical -Offset ([timespan]::FromMilliseconds(-1.5)) -IsSynchronized $false -Findings @(
            New-Finding ClocksourceUnstable Critical
            New-Finding DomainClockNoKvmclock Warning win11)
        $hostReport = New-Health host7 Healthy -IsSynchronized $true

        $guest, $hostReport | Export-KvmTimeMetric -Path $Prom

        $scrape = Get-Scrape
        Get-SeriesValue $scrape 'node_textfile_scrape_error' | Should -Be 0 -Because (Get-Content -Raw $Log)
        Get-SeriesValue $scrape "node_textfile_mtime_seconds{file=`"$Prom`"}" | Should -Not -BeNullOrEmpty -Because 'the collector reports the mtime of good files only'
        Get-SeriesValue $scrape 'kvmtime_health_verdict{computer="guest1"}' | Should -Be 2
        Get-SeriesValue $scrape 'kvmtime_health_verdict{computer="host7"}' | Should -Be 0
        Get-SeriesValue $scrape 'kvmtime_clock_offset_seconds{computer="guest1"}' | Should -Be -0.0015
        Get-SeriesValue $scrape 'kvmtime_clock_offset_seconds{computer="host7"}' | Should -BeNullOrEmpty -Because 'an unknown offset is no series, not 0'
        Get-SeriesValue $scrape 'kvmtime_clock_synchronized{computer="guest1"}' | Should -Be 0
        Get-SeriesValue $scrape 'kvmtime_clock_synchronized{computer="host7"}' | Should -Be 1
        Get-SeriesValue $scrape 'kvmtime_findings{computer="guest1"}' | Should -Be 2
        Get-SeriesValue $scrape 'kvmtime_findings{computer="host7"}' | Should -Be 0
        Get-SeriesValue $scrape 'kvmtime_finding{computer="guest1",id="ClocksourceUnstable",severity="critical",subject=""}' | Should -Be 1
        Get-SeriesValue $scrape 'kvmtime_finding{computer="guest1",id="DomainClockNoKvmclock",severity="warning",subject="win11"}' | Should -Be 1
        Get-SeriesValue $scrape 'kvmtime_last_check_timestamp_seconds{computer="host7"}' | Should -Be ([DateTimeOffset]::new(2026, 3, 1, 12, 0, 0, 250, [timespan]::Zero).ToUnixTimeMilliseconds() / 1000)
        $scrape | Should -Match '(?m)^# HELP kvmtime_health_verdict Timekeeping verdict of the target from Test-KvmTimeHealth: 0 healthy, 1 warning, 2 critical\.$'
        $scrape | Should -Match '(?m)^# TYPE kvmtime_finding gauge$'
    }

    It 'replaces the file whole on a second run: a shorter file leaves nothing of the first, and no temporary file' {
        $many = 1..40 | ForEach-Object { New-Health "guest$_" Warning -Findings @(New-Finding MakestepMissing Warning) }
        $many | Export-KvmTimeMetric -Path $Prom
        (Get-SeriesValue (Get-Scrape) 'kvmtime_health_verdict{computer="guest40"}') | Should -Be 1

        New-Health host7 Critical -Findings @(New-Finding HostNotSynchronized Critical) | Export-KvmTimeMetric -Path $Prom

        $scrape = Get-Scrape
        Get-SeriesValue $scrape 'node_textfile_scrape_error' | Should -Be 0
        Get-SeriesValue $scrape 'kvmtime_health_verdict{computer="host7"}' | Should -Be 2
        $scrape | Should -Not -Match 'computer="guest'
        @(Get-ChildItem $TextfileDir).Name | Should -Be 'kvmtime.prom'
        $text = [System.IO.File]::ReadAllText($Prom)
        $text | Should -Match '\A# HELP kvmtime_health_verdict '
        $text.EndsWith("`n") | Should -BeTrue
    }

    It 'never lets a scrape see part of a file while it is rewritten again and again' {
        $big = @(1..200 | ForEach-Object { New-Health "guest$_" Critical -Findings @(New-Finding ClocksourceUnstable Critical; New-Finding MakestepMissing Warning) })
        $small = @(New-Health host7 Healthy)
        $big | Export-KvmTimeMetric -Path $Prom
        $url = "http://127.0.0.1:$Port/metrics"
        # A second thread scrapes as fast as it can while this one writes, until both have done enough
        # (counted, not timed: the machine may be busy); each scrape must be one whole file.
        $shared = [hashtable]::Synchronized(@{ Scrapes = 0; Stop = $false })
        $scraper = Start-ThreadJob -ArgumentList $url, $shared {
            param($Url, $Shared)
            while (-not $Shared.Stop) {
                $content = (Invoke-WebRequest -Uri $Url -UseBasicParsing).Content
                $Shared.Scrapes++
                [pscustomobject]@{
                    Error    = [regex]::Match($content, '(?m)^node_textfile_scrape_error (\S+)$').Groups[1].Value
                    Verdicts = [regex]::Matches($content, '(?m)^kvmtime_health_verdict\{').Count
                }
            }
        }
        try {
            for ($round = 1; ($round -le 60 -or $shared.Scrapes -lt 40) -and $round -le 5000; $round++) {
                if ($round % 2) { $small | Export-KvmTimeMetric -Path $Prom } else { $big | Export-KvmTimeMetric -Path $Prom }
            }
        }
        finally {
            $shared.Stop = $true
            $scrapes = @($scraper | Receive-Job -Wait -AutoRemoveJob)
        }
        $scrapes.Count | Should -BeGreaterOrEqual 40 -Because 'the scrapes ran while the file was rewritten'
        @($scrapes | Where-Object Error -NE '0').Count | Should -Be 0 -Because 'a half-written file would not parse'
        @($scrapes | Where-Object { $_.Verdicts -notin 1, 200 }).Count | Should -Be 0 -Because 'every scrape sees the small file or the big one, whole'
    }

    It 'carries label values with quotes, backslashes and line feeds through the exporter unchanged' {
        $computer = "web`"1\prod`nrack 2"
        $subject = "dom \`"x\`"`n\\"
        New-Health $computer Warning -Findings @(New-Finding 'Odd"Id\' Warning $subject) | Export-KvmTimeMetric -Path $Prom

        $scrape = Get-Scrape
        Get-SeriesValue $scrape 'node_textfile_scrape_error' | Should -Be 0 -Because (Get-Content -Raw $Log)
        Get-SeriesValue $scrape "kvmtime_health_verdict{computer=`"$(ConvertTo-LabelText $computer)`"}" | Should -Be 1
        $series = "kvmtime_finding{computer=`"$(ConvertTo-LabelText $computer)`",id=`"$(ConvertTo-LabelText 'Odd"Id\')`",severity=`"warning`",subject=`"$(ConvertTo-LabelText $subject)`"}"
        Get-SeriesValue $scrape $series | Should -Be 1
        # And back: undoing the three escapes of the served label gives the original value.
        $served = [regex]::Match($scrape, '(?m)^kvmtime_findings\{computer="((?:[^"\\]|\\.)*)"\}').Groups[1].Value
        [regex]::Replace($served, '\\(.)', { param($m) if ($m.Groups[1].Value -eq 'n') { "`n" } else { $m.Groups[1].Value } }) | Should -BeExactly $computer
    }

    It 'lets two files hold the same metrics for different machines: the collector reads both (the HELP texts agree)' {
        $second = Join-Path $TextfileDir 'kvmtime-dc2.prom'
        try {
            New-Health dc1-guest Warning -Findings @(New-Finding MakestepMissing Warning) | Export-KvmTimeMetric -Path $Prom
            New-Health dc2-guest Critical -Findings @(New-Finding ClocksourceUnstable Critical) | Export-KvmTimeMetric -Path $second

            $scrape = Get-Scrape
            Get-SeriesValue $scrape 'node_textfile_scrape_error' | Should -Be 0 -Because (Get-Content -Raw $Log)
            Get-SeriesValue $scrape 'kvmtime_health_verdict{computer="dc1-guest"}' | Should -Be 1
            Get-SeriesValue $scrape 'kvmtime_health_verdict{computer="dc2-guest"}' | Should -Be 2
            ([regex]::Matches($scrape, '(?m)^# HELP kvmtime_finding ')).Count | Should -Be 1
        }
        finally { Remove-Item $second -ErrorAction Ignore }
    }
}

Describe 'Export-KvmTimeMetric: input and path checks' -Tag 'Local' {
    It 'refuses <Case> with <ErrorId> and writes nothing' -ForEach @(
        @{ Case = 'a file the collector would not read'; Relative = 'kvmtime.txt'; ErrorId = 'MetricPathNotProm' }
        @{ Case = 'a directory that does not exist'; Relative = 'missing/kvmtime.prom'; ErrorId = 'MetricDirectoryNotFound' }
        @{ Case = 'a directory'; Relative = 'dir.prom'; ErrorId = 'MetricPathIsDirectory' }
    ) {
        $dir = Join-Path $TestDrive 'checks'
        $null = New-Item -ItemType Directory -Force (Join-Path $dir 'dir.prom')
        $before = @(Get-ChildItem -Recurse $dir).FullName
        { New-Health a Healthy | Export-KvmTimeMetric -Path (Join-Path $dir $Relative) -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,KvmTime.Commands.ExportKvmTimeMetricCommand"
        @(Get-ChildItem -Recurse $dir).FullName | Should -Be $before
    }

    It 'refuses a path on another provider with MetricPathNotFileSystem' {
        { New-Health a Healthy | Export-KvmTimeMetric -Path 'Function:/kvmtime.prom' -ErrorAction Stop } | Should -Throw -ErrorId 'MetricPathNotFileSystem,KvmTime.Commands.ExportKvmTimeMetricCommand'
        Test-Path 'Function:/kvmtime.prom' | Should -BeFalse
    }

    It 'resolves a relative -Path against the current location' {
        Push-Location $TestDrive
        try { New-Health a Healthy | Export-KvmTimeMetric -Path 'relative.prom' }
        finally { Pop-Location }
        Join-Path $TestDrive 'relative.prom' | Should -FileContentMatch 'kvmtime_health_verdict\{computer="a"\} 0'
    }

    It '-WhatIf shows the path and the exact text and writes nothing; -PassThru passes every report on' {
        $path = Join-Path $TestDrive 'whatif.prom'
        $script = "Import-Module '$(Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1')'; " +
            "[KvmTime.Model.KvmTimeHealth]@{ ComputerName = 'a'; OperatingSystem = 'Linux'; Verdict = 'Warning'; Findings = [KvmTime.Model.HealthFinding[]]@(); CheckedAt = [datetime]::UtcNow } | " +
            "Export-KvmTimeMetric -Path '$path' -WhatIf -PassThru | ForEach-Object { 'passed on: ' + `$_.ComputerName }"
        $out = (Invoke-ChildPwsh $script) -join "`n"
        $out | Should -Match ([regex]::Escape("What if: Performing the operation `"Write 3 series for 1 computer`" on target `"$path`"."))
        $out | Should -Match '(?m)^kvmtime_health_verdict\{computer="a"\} 1$'
        $out | Should -Match '(?m)^passed on: a$'
        $path | Should -Not -Exist
    }

    It 'a declined -Confirm asks with the path and writes nothing' {
        $path = Join-Path $TestDrive 'declined.prom'
        $script = "Import-Module '$(Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1')'; " +
            "[KvmTime.Model.KvmTimeHealth]@{ ComputerName = 'a'; OperatingSystem = 'Linux'; Verdict = 'Healthy'; Findings = [KvmTime.Model.HealthFinding[]]@(); CheckedAt = [datetime]::UtcNow } | " +
            "Export-KvmTimeMetric -Path '$path' -Confirm"
        # The console answers the question from stdin (the host's prompt is only visible in a child pwsh).
        $out = 'N' | & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -Command $script 2>&1 | Out-String
        $out | Should -Match 'Are you sure you want to perform this action\?'
        ($out -replace '\s+', '') | Should -Match ([regex]::Escape("target`"$path`"".Replace(' ', '')))
        $path | Should -Not -Exist
    }

    It 'takes reports back from Import-Clixml (as from remoting or a job) and writes the same file as from the live reports' {
        $fleet = @(
            New-Health guest1 Critical -Offset ([timespan]::FromMilliseconds(-2.25)) -IsSynchronized $true -Findings @(New-Finding ClocksourceUnstable Critical; New-Finding DomainClockNoKvmclock Warning win11)
            New-Health host7 Healthy)
        $live = Join-Path $TestDrive 'live.prom'
        $saved = Join-Path $TestDrive 'saved.prom'
        $fleet | Export-KvmTimeMetric -Path $live
        $fleet | Export-Clixml (Join-Path $TestDrive 'fleet.xml')
        $imported = @(Import-Clixml (Join-Path $TestDrive 'fleet.xml'))
        $imported[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.KvmTime.Model.KvmTimeHealth'

        $passed = @($imported | Export-KvmTimeMetric -Path $saved -PassThru)

        [System.IO.File]::ReadAllText($saved) | Should -BeExactly ([System.IO.File]::ReadAllText($live))
        $passed[0] | Should -BeOfType ([KvmTime.Model.KvmTimeHealth])
        $passed[0].Findings[1] | Should -BeOfType ([KvmTime.Model.HealthFinding])
        Export-KvmTimeMetric -InputObject $imported -Path $saved
        [System.IO.File]::ReadAllText($saved) | Should -BeExactly ([System.IO.File]::ReadAllText($live))
    }

    It 'writes a computer given twice once, the later report, with a warning; a report without a name is an error' {
        $path = Join-Path $TestDrive 'twice.prom'
        $passed = @(New-Health a Healthy), (New-Health a Critical), (New-Health '' Warning) |
            Export-KvmTimeMetric -Path $path -PassThru -WarningVariable warned -ErrorVariable failed -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $passed.Count | Should -Be 3
        "$warned" | Should -Match 'a: a second report'
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidComputerName,KvmTime.Commands.ExportKvmTimeMetricCommand'
        $text = Get-Content -Raw $path
        $text | Should -Match '(?m)^kvmtime_health_verdict\{computer="a"\} 2$'
        ([regex]::Matches($text, '(?m)^kvmtime_health_verdict')).Count | Should -Be 1
    }
}

Describe 'The console views of health reports' -Tag 'Local' {
    BeforeAll {
        $script:Fleet = @(
            New-Health guest1 Warning -Offset ([timespan]::FromMilliseconds(12.5)) -Findings @(New-Finding MakestepMissing Warning)
            New-Health host7 Critical -Clocksource tsc -Findings @(New-Finding DomainClockNoKvmclock Critical win11; New-Finding MakestepMissing Warning)
            New-Health guest2 Healthy)
    }

    It 'shows one line per target: ComputerName, Verdict, finding count, Ids, Offset, Clocksource' {
        $lines = @(($Fleet | Format-Table | Out-String -Width 200) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ })
        $lines[0] | Should -Match '^ComputerName\s+Verdict\s+Findings\s+Ids\s+Offset\s+Clocksource$'
        ($lines | Where-Object { $_ -like 'host7*' }) | Should -Match '^host7\s+Critical\s+2 DomainClockNoKvmclock,MakestepMissing\s+tsc$'
        ($lines | Where-Object { $_ -like 'guest1*' }) | Should -Match '^guest1\s+Warning\s+1 MakestepMissing\s+12\.5 ms\s+kvm-clock$'
        ($lines | Where-Object { $_ -like 'guest2*' }) | Should -Match '^guest2\s+Healthy\s+0\s+kvm-clock$'
    }

    It 'formats reports that came back through remoting or a job the same way' {
        $deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Fleet[1], 3))
        $deserialized.PSObject.TypeNames[0] | Should -Be 'Deserialized.KvmTime.Model.KvmTimeHealth'
        ($deserialized | Format-Table | Out-String -Width 200) | Should -Match '(?m)^host7\s+Critical\s+2 DomainClockNoKvmclock,MakestepMissing\s+tsc\s*$'
    }

    It 'lists a finding in full: Severity, Id, Subject, Message, Evidence, Fix' {
        $text = $Fleet[1].Findings[0] | Out-String -Width 200
        foreach ($field in 'Severity', 'Id', 'Subject', 'Message', 'Evidence', 'EvidenceSource', 'Fix') { $text | Should -Match "(?m)^$field\s+:" }
        $text | Should -Match '(?m)^Subject\s+: win11$'
        $text | Should -Match '(?m)^Fix\s+: Set-Something -Id DomainClockNoKvmclock$'
    }

    It 'sorts worst first and counts findings across the fleet, as the docs show' {
        @($Fleet | Sort-Object Verdict -Descending).ComputerName | Should -Be host7, guest1, guest2
        $counts = $Fleet | ForEach-Object Findings | Group-Object Id -NoElement | Sort-Object Count -Descending
        $counts[0].Name | Should -Be 'MakestepMissing'
        $counts[0].Count | Should -Be 2
    }
}
