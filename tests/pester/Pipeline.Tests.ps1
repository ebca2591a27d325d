# What a PowerShell user pipes in: sessions by value and by property name, plain host names,
# Invoke-Command output, files; and what comes out: the Session property binds but never
# serializes. Against a real loopback sshd, whose log shows every new login.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:Sshd = Start-TestSshd -PortCount 2
    $script:Targets = @($Sshd.Ports | ForEach-Object { "127.0.0.1:$_" })
    $script:Ssh = @{ UserName = 'root'; KeyFilePath = $Sshd.KeyFilePath; KnownHostsPath = $Sshd.KnownHostsPath }
    $script:SysfsCurrent = (Get-Content /sys/devices/system/clocksource/clocksource0/current_clocksource).Trim()
    # sshd logs one "Accepted publickey" line per new login.
    function Get-LoginCount { @(Select-String -Path $Sshd.LogPath -Pattern 'Accepted publickey').Count }
}

AfterAll {
    Get-KvmTimeSession | Remove-KvmTimeSession
    Stop-TestSshd $Sshd
}

Describe 'Pipeline input' -Tag 'Ssh' {
    It 'binds sessions from Get-KvmTimeSession by value and reuses their connections (sshd sees no new login)' {
        $sessions = New-KvmTimeSession -ComputerName $Targets @Ssh
        try {
            $before = Get-LoginCount
            $results = Get-KvmTimeSession -ComputerName '127.0.0.1*' | Get-KvmClocksource
            $results | Should -HaveCount 2
            @($results.ComputerName | Sort-Object) | Should -Be @($Targets | Sort-Object)
            $results | ForEach-Object { $_.Current | Should -Be $SysfsCurrent }
            $direct = $sessions | Test-ConstantTsc
            $direct | Should -HaveCount 2
            Get-LoginCount | Should -Be $before -Because 'every result came through the open sessions'
        }
        finally { $sessions | Remove-KvmTimeSession }
    }

    It 'binds plain host names from the pipeline, as Test-Connection -TargetName does' {
        $hosts = Join-Path $TestDrive 'hosts.txt'
        Set-Content $hosts $Targets
        $results = Get-Content $hosts | Get-KvmClocksource @Ssh
        @($results.ComputerName | Sort-Object) | Should -Be @($Targets | Sort-Object)
    }

    It 'binds objects that carry PSComputerName, as Invoke-Command output does' {
        $results = $Targets | ForEach-Object { [pscustomobject]@{ PSComputerName = $_; Value = 1 } } | Get-KvmClocksource @Ssh
        @($results.ComputerName | Sort-Object) | Should -Be @($Targets | Sort-Object)
    }

    It 'still binds files by property name, and never takes a file for a host name' {
        $log = Join-Path $TestDrive 'kern.log'
        Set-Content $log '[    0.000000] clocksource: Switched to clocksource tsc'
        $events = Get-Item $log | Get-ClocksourceEvent -ErrorVariable e -ErrorAction SilentlyContinue
        $e | Should -BeNullOrEmpty
        @($events).Count | Should -BeGreaterOrEqual 1
        $events[0].ComputerName | Should -Not -Be $log
    }

    It 'keeps the Session property out of JSON and CSV, but still binds it into the next cmdlet' {
        $s = New-KvmTimeSession -ComputerName $Targets[0] @Ssh
        try {
            $info = Get-KvmClocksource -Session $s
            ($info | ConvertTo-Json -Depth 2) | Should -Not -Match '"Session"'
            ($info | ConvertTo-Csv | Select-Object -First 1) | Should -Not -Match 'Session'
            $info.Session.Id | Should -Be $s.Id
            $before = Get-LoginCount
            ($info | Test-ConstantTsc).ComputerName | Should -Be $Targets[0]
            Get-LoginCount | Should -Be $before
        }
        finally { Remove-KvmTimeSession $s }
    }

    It 'says in -Verbose which way each target went' {
        $verbose = Get-KvmClocksource -ComputerName localhost, $Targets[0] @Ssh -Verbose -ErrorAction SilentlyContinue 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        # With -UserName, localhost is an SSH target too (and fails here: nothing listens on port 22).
        $verbose | Should -Contain 'localhost: over SSH'
        $verbose | Should -Contain "$($Targets[0]): over SSH"
        $plain = Get-KvmClocksource -ComputerName localhost -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $plain | Should -Contain 'localhost: this machine, in-process: a local name without -Port, -UserName, -Credential or -KeyFilePath'
    } 
}
