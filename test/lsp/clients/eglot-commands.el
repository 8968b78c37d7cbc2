;;; eglot-commands.el --- Emacs Eglot runs an sptls command  -*- lexical-binding: t -*-
;; SPTLS_STEP "issue" takes the "Issue certificates" source action of SPTLS_FILE,
;; "handshake" the "Test handshake" code lens; either is executed through
;; workspace/executeCommand (what `eglot-execute-command' sends) and the server's answer
;; is written as JSON to SPTLS_REPORT. Run with `emacs --batch -q -l eglot-commands.el'.
(require 'eglot)
(require 'json)

(define-derived-mode sptls-mode prog-mode "sptls" "Minimal mode for .sptls files.")

(defun sptls-test--env (name)
  (or (getenv name) (error "%s is not set" name)))

(defun sptls-test--run ()
  (let ((cmd (append (json-read-from-string (sptls-test--env "SPTLS_CMD")) nil))
        (report nil)
        (command nil))
    (setq eglot-server-programs (list (cons 'sptls-mode cmd)))
    (find-file (sptls-test--env "SPTLS_FILE"))
    (sptls-mode)
    (apply #'eglot (eglot--guess-contact))
    (let ((server (eglot-current-server)))
      (unless server (error "eglot did not connect"))
      (if (equal (sptls-test--env "SPTLS_STEP") "issue")
          (let* ((zero (list :line 0 :character 0))
                 (actions (jsonrpc-request server :textDocument/codeAction
                                           (list :textDocument (eglot--TextDocumentIdentifier)
                                                 :range (list :start zero :end zero)
                                                 :context (list :diagnostics [] :only ["source"])))))
            (mapc (lambda (a) (when (equal (plist-get a :title) "Issue certificates (sptls issue)")
                                (setq command (plist-get a :command))))
                  actions))
        (mapc (lambda (lens) (when (equal (plist-get (plist-get lens :command) :title) "Test handshake")
                               (setq command (plist-get lens :command))))
              (jsonrpc-request server :textDocument/codeLens (list :textDocument (eglot--TextDocumentIdentifier)))))
      (unless command (error "no action or lens for step %s" (sptls-test--env "SPTLS_STEP")))
      (let ((result (jsonrpc-request server :workspace/executeCommand
                                     (list :command (plist-get command :command) :arguments (plist-get command :arguments))
                                     :timeout 60)))
        (push (cons 'command (plist-get command :command)) report)
        (push (cons 'result (list (cons 'ok (if (eq (plist-get result :ok) t) t :json-false))
                                  (cons 'summary (plist-get result :summary))
                                  (cons 'text (plist-get result :text))
                                  (cons 'written (plist-get result :written))))
              report))
      (eglot-shutdown server))
    report))

(let ((out (sptls-test--env "SPTLS_REPORT"))
      (status 0)
      report)
  (condition-case err
      (setq report (sptls-test--run))
    (error (setq status 1)
           (setq report (list (cons 'error (error-message-string err))))))
  (with-temp-file out (insert (json-encode report)))
  (kill-emacs status))
